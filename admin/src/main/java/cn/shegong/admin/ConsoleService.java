package cn.shegong.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * The console's pages (templates/console/: HTML, CSS and plain JavaScript over the JSON API; no
 * build step), on the admin socket. The root sends the browser to them.
 */
public final class ConsoleService implements HttpService {

    private final StaticContentService pages = StaticContentService.builder("console").welcomeFileName("index.html").build();
    /** ECharts from its webjar, served from the jar: no Node build, nothing fetched from the internet. */
    private final StaticContentService charts = StaticContentService.builder("META-INF/resources/webjars/echarts/5.3.1/dist").build();

    /**
     * Headers on every page and API answer of the admin socket: scripts, styles and everything else
     * only from the console itself (images also as data: URIs, and from {@code imageOrigins}: where
     * WeChat serves the QR codes a worker scans to bind), never framed, no sniffing of content
     * types, no referrer sent away.
     */
    public static io.helidon.webserver.http.Filter securityHeaders(java.util.List<String> imageOrigins) {
        String csp = "default-src 'self'; img-src 'self' data: " + String.join(" ", imageOrigins) + "; media-src 'self'; "
                + "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        return (chain, req, res) -> {
            res.header(HeaderNames.create("Content-Security-Policy"), csp);
            res.header(HeaderNames.create("X-Frame-Options"), "DENY");
            res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
            res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
            res.beforeSend(() -> res.headers().contentType().filter(ConsoleService::textWithoutCharset)
                    .ifPresent(t -> res.headers().contentType(t.withCharset("UTF-8")))); // static pages, scripts, styles: UTF-8 said
            chain.proceed();
        };
    }

    private static boolean textWithoutCharset(io.helidon.http.HttpMediaType type) {
        String t = type.mediaType().type();
        String sub = type.mediaType().subtype();
        return type.charset().isEmpty() && (t.equals("text") || sub.equals("javascript") || sub.equals("json") || sub.equals("yaml")
                || sub.endsWith("+xml"));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            res.status(Status.FOUND_302).header(HeaderNames.LOCATION, "/console/").send();
        }).register("/console/vendor/echarts", charts).register("/console", pages);
    }
}
