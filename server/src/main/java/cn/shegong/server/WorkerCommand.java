package cn.shegong.server;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.staff.BindCodes;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Station;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.text.Texts;

/**
 * {@code ./shegong worker list}: every worker with id, station and whether their WeChat is bound.
 * {@code ./shegong worker bind-code WORKER_ID}: a one-time code the worker sends to the account.
 */
final class WorkerCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private WorkerCommand() {
    }

    static int run(ShegongConfig config, List<String> args, PrintStream out) {
        boolean list = args.equals(List.of("list"));
        boolean code = args.size() == 2 && args.get(0).equals("bind-code");
        if (!list && !code) {
            System.err.println("Usage: ./shegong worker list | ./shegong worker bind-code WORKER_ID");
            return 2;
        }
        try (Mongo mongo = Mongo.open(config.mongodbUri(), config.mongodbDatabase(), config.dataDir())) {
            StaffStore staff = new StaffStore(mongo.database());
            return list ? list(staff, out) : bindCode(staff, new BindCodes(mongo.database(), cn.shegong.core.storage.FieldCipher.open(config.dataKey(), config.dataDir())), args.get(1), out);
        }
    }

    private static int list(StaffStore staff, PrintStream out) {
        out.printf("%-24s  %-8s  %-6s  %-22s  %s%n", "ID", "NAME", "ROLE", "STATION", "WECHAT");
        for (Worker w : staff.allWorkers()) {
            String station = staff.station(w.stationCode()).map(Station::township).orElse("?") + " (" + w.stationCode() + ")";
            out.printf("%-24s  %-8s  %-6s  %-22s  %s%n", w.id(), w.name(), w.role(), station,
                    (w.openid().isPresent() ? "bound" : "not bound") + (w.active() ? "" : ", inactive"));
        }
        return 0;
    }

    private static int bindCode(StaffStore staff, BindCodes codes, String workerId, PrintStream out) {
        var worker = staff.worker(workerId).filter(Worker::active);
        if (worker.isEmpty()) {
            System.err.println("shegong: no active worker " + workerId + " (see ./shegong worker list)");
            return 1;
        }
        Instant now = Clock.systemUTC().instant();
        String code = codes.create(workerId, now);
        out.println("Bind code for " + worker.get().name() + ": " + code);
        out.println("Give the worker this line to send to the account (it works once, until "
                + TIME.format(now.plus(BindCodes.LIFETIME)) + " Beijing time):");
        out.println(new Texts().render(BotText.BIND_HOWTO, java.util.Map.of("code", code)));
        return 0;
    }
}
