package cn.shegong.core.casework;

/** What the resident is told when staff act on their case (implemented by the bot's notifier). */
public interface CaseEvents {

    void assigned(Case c, String stationName);

    void visited(Case c);

    void closed(Case c, String summary);
}
