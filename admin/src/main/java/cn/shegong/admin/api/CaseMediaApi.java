package cn.shegong.admin.api;

import java.time.Clock;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.media.MediaStore;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A case's photo or voice message, to the station that handles it (as with name and phone, other
 * roles see that it exists, not what it shows): opened from its sealed copy, never cached by the
 * browser, and every view audited.
 */
public final class CaseMediaApi implements HttpService {

    private final CaseStore cases;
    private final MediaStore media;
    private final AuditLog audit;
    private final Clock clock;

    public CaseMediaApi(CaseStore cases, MediaStore media, AuditLog audit, Clock clock) {
        this.cases = cases;
        this.media = media;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/cases/{id}/media/{item}", this::file);
    }

    private void file(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        var c = cases.find(req.path().pathParameters().get("id")).filter(s.scope()::covers)
                .filter(x -> s.scope().seesContactDetails()).orElseThrow(ApiException::notFound);
        String item = req.path().pathParameters().get("item");
        var file = media.items(c.id()).stream().filter(m -> m.id().equals(item)).findFirst().flatMap(MediaStore.Item::fileId)
                .flatMap(media::get).orElseThrow(ApiException::notFound);
        audit.record(clock.instant(), s.username, "view_media", c.number(), Http.from(req));
        res.header(HeaderNames.CONTENT_TYPE, file.contentType());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        ConsoleGate.leave(req); // only bytes to move now, at the browser's pace
        res.send(file.bytes());
    }
}
