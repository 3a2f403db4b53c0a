package cn.shegong.bot.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.intake.ConversationStore;
import cn.shegong.bot.intake.Vocabulary;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.CaseEvents;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.media.MediaStore;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.routing.DeadlineStore;
import cn.shegong.core.staff.BindCodes;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Trainings;
import cn.shegong.core.staff.UrgentAlerts;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.text.Texts;

/** What the worker's side of the dialogue shares: stores, the resident's notifier, texts and the clock. */
public record WorkerKit(StaffStore staff, BindCodes codes, CaseStore cases, MessageStore messages, ResidentStore residents,
                        MediaStore media, MediaFetcher fetcher, HouseholdStore households, VisitStore visits, Registry registry,
                        CareCategories categories, UrgentAlerts urgentAlerts, DeadlineStore deadlines, Trainings trainings,
                        CaseEvents residentEvents, Outbox outbox, ConversationStore states, AuditLog audit, Redis redis,
                        Texts texts, Vocabulary words, Clock clock) {

    Reply say(BotText key) {
        return Reply.of(texts.render(key));
    }

    Reply say(BotText key, Map<String, Object> values) {
        return Reply.of(texts.render(key, values));
    }

    Instant now() {
        return clock.instant();
    }
}
