package cn.shegong.core.staff;

import cn.shegong.core.casework.Case;

/** What a worker is told when staff act (implemented by the bot's notices to bound workers). */
public interface WorkerEvents {

    /** The case was assigned to the worker: a card with what to reply, and no personal details. */
    void assigned(Case c, Worker w);

    WorkerEvents NONE = (c, w) -> { };
}
