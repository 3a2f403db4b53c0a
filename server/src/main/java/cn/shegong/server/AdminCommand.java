package cn.shegong.server;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.Role;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.storage.Mongo;

/**
 * {@code ./shegong admin create USERNAME [ROLE AREA]}: a console account with a generated password,
 * printed once, which must be changed at first login. ROLE is CITY (default), COUNTY, STATION or
 * AUDITOR; AREA the NBS code of its county or township (default the city).
 */
final class AdminCommand {

    private AdminCommand() {
    }

    static int run(ShegongConfig config, List<String> args, PrintStream out) {
        if (args.size() < 2 || !args.get(0).equals("create")) {
            out.println("Usage: ./shegong admin create USERNAME [CITY|COUNTY|STATION|AUDITOR AREA_CODE]");
            return 1;
        }
        String username = args.get(1);
        Role role = args.size() > 2 ? Role.valueOf(args.get(2)) : Role.CITY;
        String area = args.size() > 3 ? args.get(3) : Shegong.CITY_AREA;
        String password = Demo.password();
        try (Mongo mongo = Mongo.open(config.mongodbUri(), config.mongodbDatabase(), config.dataDir())) {
            AccountStore accounts = new AccountStore(mongo.database());
            accounts.ensureIndexes();
            if (!accounts.create(username, password, role, area, true, Clock.systemUTC().instant())) {
                out.println("An account named " + username + " exists already.");
                return 1;
            }
        }
        out.println("Created " + username + " (" + role + ", area " + area + "). Password, shown once: " + password);
        out.println("It must be changed at first login.");
        return 0;
    }
}
