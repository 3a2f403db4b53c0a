package cn.shegong.admin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.households.ImportJobs;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The registry import from the console: the browser sends the file as the request body (up to
 * {@value #MAX_BYTES} bytes), the import runs in the background, and the page polls its progress;
 * rows outside the account's area are refused. The rejected rows download as CSV to fix and upload again.
 */
public final class ImportApi implements HttpService {

    static final long MAX_BYTES = 50L * 1024 * 1024;

    private final ImportJobs jobs;
    private final AuditLog audit;
    private final Clock clock;

    public ImportApi(ImportJobs jobs, AuditLog audit, Clock clock) {
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/households/import", this::upload)
                .get("/api/imports/{id}", this::status)
                .get("/api/imports/{id}/rejected.csv", this::rejected);
    }

    private void upload(ServerRequest req, ServerResponse res) throws IOException {
        Scope scope = Http.staffScope(req);
        String name = req.query().first("name").orElse("upload").replaceAll("[\\r\\n\\\\/]", "");
        Path file = jobs.newUpload();
        ConsoleGate.leave(req); // up to 50 MB, at the browser's pace; the import itself queues in its jobs
        try (InputStream in = req.content().inputStream(); OutputStream out = Files.newOutputStream(file)) {
            if (in.transferTo(new Bounded(out)) == 0) {
                throw new ApiException(400, "empty");
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        String user = Http.session(req).username;
        String id;
        try {
            id = jobs.submit(file, name.length() > 120 ? name.substring(0, 120) : name, user, t -> scope.coversTownship(t.code()));
        } catch (ImportJobs.Busy e) {
            throw new ApiException(429, "imports_queued");
        }
        audit.record(clock.instant(), user, "import_households", id, Http.from(req));
        Http.json(res, Map.of("id", id));
    }

    private void status(ServerRequest req, ServerResponse res) {
        ImportJobs.Status s = mine(req);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("file", s.file());
        m.put("state", s.state().name());
        m.put("done", s.done());
        m.put("total", s.total());
        m.put("counts", s.counts());
        m.put("unmapped", s.unmapped());
        m.put("rejected", s.rejected());
        m.put("rejectedKept", s.rejectedKept());
        m.put("error", s.error().orElse(""));
        Http.json(res, m);
    }

    private void rejected(ServerRequest req, ServerResponse res) {
        ImportJobs.Status s = mine(req);
        String csv = jobs.rejectedCsv(s.id()).orElseThrow(ApiException::notFound);
        audit.record(clock.instant(), Http.session(req).username, "download_rejected_rows", s.id(), Http.from(req));
        res.headers().contentType(HttpMediaType.create("text/csv; charset=UTF-8"));
        res.headers().set(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"rejected.csv\"");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(csv.getBytes(StandardCharsets.UTF_8));
    }

    /** Only whoever started an import follows it (its rejected rows hold personal data). */
    private ImportJobs.Status mine(ServerRequest req) {
        Http.staffScope(req);
        return jobs.status(req.path().pathParameters().get("id")).filter(s -> s.by().equals(Http.session(req).username))
                .orElseThrow(ApiException::notFound);
    }

    /** Refuses a body past the limit. */
    private static final class Bounded extends OutputStream {
        private final OutputStream out;
        private long written;

        Bounded(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > MAX_BYTES) {
                throw new ApiException(413, "too_large");
            }
            out.write(b, off, len);
        }
    }
}
