package cn.shegong.core.staff;

import java.time.Duration;
import java.util.Optional;

/** Parametric QR codes made by WeChat (qrcode/create): scanning one tells us its scene. */
public interface QrCodes {

    /** The address of the QR code's image, or empty when WeChat could not make one now (the typed code still works). */
    Optional<String> create(String scene, Duration lifetime);

    /** A permanent code (a station's poster: WeChat allows 100,000 of them); the address of its image, or empty. */
    Optional<String> permanent(String scene);
}
