package cn.shegong.bot.intake;

import java.util.List;

/**
 * Where one person's conversation stands, kept in Redis between messages (with an expiry, so an
 * abandoned intake does not linger). Plain fields for JSON; null means unknown.
 */
final class IntakeState {

    enum Stage { CONSENT, CHOOSE, COLLECT, SUMMARY, CONFIRM_CANCEL, RATING, COMMENT }

    public Stage stage;
    /** The stage to return to when a cancel is not confirmed. */
    public Stage resumeStage;
    public String category;
    public boolean urgent;
    public String description;
    public String townshipCode;
    public String phone;
    public String name;
    /** The case this conversation is about: an urgent case opened before the intake finished, or one to cancel or rate. */
    public String caseId;
    /** The version of {@code caseId} the person saw when asked to confirm (a change since then wins). */
    public Integer caseVersion;
    /** Category codes offered in a numbered list, in order. */
    public List<String> choices;
    public long startedAtMillis;

    IntakeState copy() {
        IntakeState c = new IntakeState();
        c.stage = stage;
        c.resumeStage = resumeStage;
        c.category = category;
        c.urgent = urgent;
        c.description = description;
        c.townshipCode = townshipCode;
        c.phone = phone;
        c.name = name;
        c.caseId = caseId;
        c.caseVersion = caseVersion;
        c.choices = choices == null ? null : new java.util.ArrayList<>(choices);
        c.startedAtMillis = startedAtMillis;
        return c;
    }

    boolean inIntake() {
        return stage == Stage.CONSENT || stage == Stage.CHOOSE || stage == Stage.COLLECT || stage == Stage.SUMMARY;
    }
}
