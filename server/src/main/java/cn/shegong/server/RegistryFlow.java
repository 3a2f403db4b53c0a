package cn.shegong.server;

import java.time.Clock;

import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.visits.VisitSweep;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.RiskSignals;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Trainings;
import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.MongoDatabase;

/**
 * The households under care and their visits, wired together: the registry and its stores, the
 * visit policy and care categories, dynamic monitoring, the daily visit sweep, and the trainings
 * workers sign in to.
 */
record RegistryFlow(HouseholdStore households, VisitStore visits, Registry registry, VisitPolicy policy, CareCategories careCategories,
                    Monitoring monitoring, VisitSweep sweep, Trainings trainings) {

    static RegistryFlow wire(MongoDatabase db, FieldCipher cipher, StaffStore staff, Outbox outbox, Areas areas, Clock clock) {
        HouseholdStore households = new HouseholdStore(db, cipher);
        VisitStore visits = new VisitStore(db, cipher);
        VisitPolicy policy = new VisitPolicy();
        CareCategories careCategories = new CareCategories();
        Monitoring monitoring = new Monitoring(db, new RiskSignals(), cipher);
        return new RegistryFlow(households, visits, new Registry(households, visits, policy, monitoring), policy, careCategories, monitoring,
                new VisitSweep(visits, staff, outbox, careCategories, policy, areas, clock), new Trainings(db));
    }
}
