package cn.shegong.server;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.server.bench.VisitsBench;

/** Starts the whole service for {@code ./shegong bench visits} and lends it the registry and the sweep. */
final class BenchStarter implements VisitsBench.Starter {

    @Override
    public Map<String, String> demoEnv() {
        return Main.demoEnv();
    }

    @Override
    public Running start(ShegongConfig config, Clock clock) {
        Shegong shegong = Shegong.start(config, clock, new Shegong.Seams(c -> c, false));
        return new Running() {
            @Override
            public void enrol(HouseholdStore.Facts facts, String workerId, LocalDate today) {
                shegong.households().registry().enrol(facts, Optional.of(workerId), today, clock.instant());
            }

            @Override
            public String sweep() {
                return shegong.households().sweep().runOnce().toString();
            }

            @Override
            public int openVisits(String workerId) {
                return shegong.households().visits().openFor(workerId).size();
            }

            @Override
            public HouseholdStore.Page list(HouseholdStore.Query query) {
                return shegong.households().households().list(query);
            }

            @Override
            public String figures(LocalDate from, LocalDate to, LocalDate today) {
                return shegong.registryFigures().of(from, to, Optional.empty(), Optional.empty(), today).visits()
                        .get(cn.shegong.core.households.RegistryFigures.ALL).toString();
            }

            @Override
            public void close() {
                shegong.close();
            }
        };
    }
}
