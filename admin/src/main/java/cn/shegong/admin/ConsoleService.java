package cn.shegong.admin;

import java.util.Map;

import cn.shegong.core.message.MessageStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.text.Texts;

import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The console's home on the admin socket. Until login and the inbox exist it shows only totals,
 * which name nobody.
 */
public final class ConsoleService implements HttpService {

    private final Texts texts;
    private final ResidentStore residents;
    private final MessageStore messages;

    public ConsoleService(Texts texts, ResidentStore residents, MessageStore messages) {
        this.texts = texts.require(AdminText.values());
        this.residents = residents;
        this.messages = messages;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::home);
    }

    private void home(ServerRequest req, ServerResponse res) {
        res.headers().contentType(HttpMediaType.create("text/html; charset=UTF-8"));
        res.send(texts.render(AdminText.CONSOLE_HOME, Map.of(
                "residents", residents.count(),
                "messages", messages.count())));
    }
}
