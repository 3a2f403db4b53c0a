package cn.shegong.bot.intake;

import java.util.Optional;

import cn.shegong.core.casework.Case;

/** Passes what a resident sends on an assigned case to the worker who has it (the worker dialogue implements it). */
public interface CaseRelay {

    /** {@code kind}: text, image, voice, video, location; {@code text} for text and transcribed voice. */
    void fromResident(Case c, String kind, Optional<String> text);

    CaseRelay NONE = (c, kind, text) -> { };
}
