package cn.shegong.core.casework;

/** What the resident is told when staff act on their case (implemented by the bot's notifier). */
public interface CaseEvents {

    void assigned(Case c, String stationName);

    void visited(Case c);

    void closed(Case c, String summary);

    /** First contact is late: the resident is told so, honestly, with the station's phone to call. */
    void contactLate(Case c, String stationPhone);

    /** A message from staff to the resident, through the outbox (chat inside the 48-hour window, else a card). */
    void message(Case c, String text);
}
