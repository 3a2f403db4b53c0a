package cn.shegong.bot.intake;

import java.util.Optional;

import cn.shegong.core.casework.Case;

/** Passes what a resident sends on an assigned case to the worker who has it (the worker dialogue implements it). */
public interface CaseRelay {

    /**
     * {@code kind}: text, image, voice, video, location; {@code text} for text and transcribed voice;
     * {@code urgent} when triage thinks it may be an emergency (the worker's copy says so).
     */
    void fromResident(Case c, String kind, Optional<String> text, boolean urgent);

    /** True when a bound, active worker has the case and can be sent chat now (inside their 48-hour window). */
    boolean reachesWorker(Case c);

    CaseRelay NONE = new CaseRelay() {
        @Override
        public void fromResident(Case c, String kind, Optional<String> text, boolean urgent) {
        }

        @Override
        public boolean reachesWorker(Case c) {
            return false;
        }
    };
}
