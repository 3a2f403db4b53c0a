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

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            res.status(Status.FOUND_302).header(HeaderNames.LOCATION, "/console/").send();
        }).register("/console/vendor/echarts", charts).register("/console", pages);
    }
}
