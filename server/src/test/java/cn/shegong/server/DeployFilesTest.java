package cn.shegong.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.testing.TestMongo;
import cn.shegong.core.testing.TestRedis;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/ agrees with the code: it parses, sets only settings we read, probes real paths, runs serve, exposes only the webhook. */
class DeployFilesTest {

    private static final Path ROOT = Stream.iterate(Path.of("").toAbsolutePath(), p -> p != null, Path::getParent)
            .filter(p -> Files.isDirectory(p.resolve("deploy"))).findFirst().orElseThrow(() -> new IllegalStateException("no deploy/"));
    private static final Path DEPLOY = ROOT.resolve("deploy");

    @Test
    void everyYamlFileParsesAndKustomizeLeavesTheSecretExampleOut() throws IOException {
        List<Path> files = files().filter(p -> p.toString().matches(".*\\.ya?ml")).toList();
        assertTrue(files.size() >= 10, "compose.yaml and the k8s manifests are under deploy/: " + files);
        for (Path f : files) {
            new Yaml().loadAll(Files.readString(f)).forEach(doc -> assertTrue(doc instanceof Map, f + " holds a non-mapping document"));
        }
        List<Object> resources = list(yaml("k8s/kustomization.yaml").get("resources"));
        resources.forEach(r -> assertTrue(Files.exists(DEPLOY.resolve("k8s/" + r)), "kustomization.yaml lists a missing file " + r));
        assertFalse(resources.contains("secret.example.yaml"), "secret.example.yaml must never be applied by kustomize");
    }

    @Test
    void everyEnvironmentVariableIsOneShegongReads() throws IOException {
        var known = new TreeSet<String>();
        Pattern.compile("(?:required|optional|port|url)\\(\"([A-Z][A-Z0-9_]+)\"")
                .matcher(Files.readString(ROOT.resolve("core/src/main/java/cn/shegong/core/config/ConfigLoader.java")))
                .results().forEach(r -> known.add(r.group(1)));
        assertTrue(known.containsAll(List.of("WECHAT_APP_ID", "MONGODB_URI", "REDIS_URL", "SHEGONG_DATA_KEY")),
                "names found in ConfigLoader: " + known);
        var used = new TreeMap<String, String>(); // name → the file that sets it
        for (Path example : files().filter(p -> p.toString().endsWith(".env.example")).toList()) {
            Files.readString(example).lines().filter(l -> l.matches("[A-Za-z_]\\w*=.*"))
                    .forEach(l -> used.put(l.split("=")[0], DEPLOY.relativize(example).toString()));
        }
        map(yaml("compose.yaml").get("services")).forEach((name, service) -> {
            map(map(service).get("environment")).keySet().forEach(k -> used.put(k, "compose.yaml " + name));
            list(map(service).get("env_file")).forEach(f -> assertTrue(Files.exists(DEPLOY.resolve(f + ".example")),
                    "compose.yaml " + name + " reads " + f + ", but there is no " + f + ".example"));
        });
        map(yaml("k8s/configmap.yaml").get("data")).keySet().forEach(k -> used.put(k, "k8s/configmap.yaml"));
        Map<String, Object> secrets = map(yaml("k8s/secret.example.yaml").get("stringData"));
        secrets.keySet().forEach(k -> used.put(k, "k8s/secret.example.yaml"));
        for (Object e : list(container().get("env"))) {
            used.put(map(e).get("name").toString(), "k8s/deployment.yaml");
            Object key = map(map(map(e).get("valueFrom")).get("secretKeyRef")).get("key");
            assertTrue(key == null || secrets.containsKey(key.toString()),
                    "deployment.yaml reads secret key " + key + ", which secret.example.yaml lacks");
        }
        assertTrue(used.size() >= 10 && used.containsKey("SHEGONG_DATA_KEY"), "variables found in deploy/: " + used);
        used.forEach((name, where) -> assertTrue(known.contains(name), where + " sets " + name + ", which Shegong never reads"));
    }

    @Test
    void healthPathsOfImageComposeAndProbesAnswerOnTheAdminSocket(@TempDir Path dir) throws Exception {
        var checks = new ArrayList<String[]>(); // {who, path}
        Pattern path = Pattern.compile("/observe/[\\w/]+");
        Matcher healthcheck = Pattern.compile("(?m)^HEALTHCHECK(?:.*\\\\\\n)*.*$").matcher(Files.readString(DEPLOY.resolve("Dockerfile")));
        assertTrue(healthcheck.find(), "deploy/Dockerfile has a HEALTHCHECK");
        path.matcher(healthcheck.group()).results().forEach(r -> checks.add(new String[] {"Dockerfile HEALTHCHECK", r.group()}));
        path.matcher(String.valueOf(map(map(yaml("compose.yaml").get("services")).get("shegong1")).get("healthcheck"))).results()
                .forEach(r -> checks.add(new String[] {"compose.yaml healthcheck", r.group()}));
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(map(container().get(probe)).get("httpGet"));
            assertEquals("admin", get.get("port"), probe + " must ask the admin socket");
            checks.add(new String[] {"deployment.yaml " + probe, String.valueOf(get.get("path"))});
        }
        assertTrue(checks.stream().anyMatch(c -> c[0].startsWith("Dockerfile")) && checks.stream().anyMatch(c -> c[0].startsWith("compose")),
                "the image and compose.yaml both check a health path: " + checks.stream().map(c -> c[0] + " " + c[1]).toList());
        try (TestMongo testMongo = new TestMongo(); TestRedis testRedis = new TestRedis();
             Mongo mongo = Mongo.open(Optional.of(testMongo.uri()), "deploy", dir);
             Redis redis = Redis.open(Optional.of(TestRedis.URL), testRedis.prefix(), dir);
             HttpClient http = HttpClient.newHttpClient()) {
            WebServer server = WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false)
                    .putSocket(Shegong.ADMIN_SOCKET, s -> s.host("127.0.0.1").port(0)).routing(Shegong.ADMIN_SOCKET, r -> { })
                    .addFeature(Observe.feature(Shegong.ADMIN_SOCKET, mongo, redis)).build().start();
            try {
                for (String[] check : checks) {
                    URI uri = URI.create("http://127.0.0.1:" + server.port(Shegong.ADMIN_SOCKET) + check[1]);
                    int status = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertTrue(status / 100 == 2, check[0] + " asks " + check[1] + ", which answers " + status + " on the admin socket");
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void imageRunsServeFromShegongJarWithTheLaunchersFlags() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
        assertTrue(entry.find(), "deploy/Dockerfile has an exec-form ENTRYPOINT [...]");
        List<Object> argv = list(new Yaml().load(entry.group(1)));
        int jar = argv.indexOf("-jar");
        assertTrue(argv.get(0).equals("java") && jar > 0 && argv.get(jar + 1).toString().endsWith("/shegong.jar"),
                "java -jar …/shegong.jar: " + argv);
        assertEquals(List.of("serve"), argv.subList(jar + 2, argv.size()), "the image runs exactly the serve command: " + argv);
        Matcher opts = Pattern.compile("JAVA_OPTS=\\(([^)]*)\\)").matcher(Files.readString(ROOT.resolve("shegong")));
        assertTrue(opts.find(), "the launcher sets JAVA_OPTS=(…)");
        List.of(opts.group(1).trim().split("\\s+"))
                .forEach(f -> assertTrue(argv.contains(f), "the launcher runs java with " + f + "; the image does not"));
        assertTrue(dockerfile.contains("server/target/libs"),
                "shegong.jar's manifest class path needs server/target/libs copied beside it");
    }

    /**
     * The JVM refuses an AOT cache made with other JVM options or another jar path (silently, for the
     * operator: the service only starts colder), so the image's training run and its ENTRYPOINT must
     * agree on both, and the ENTRYPOINT must read the file the training wrote.
     */
    @Test
    void imageStartsFromTheCacheItTrainedWithTheSameOptions() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Matcher train = Pattern.compile("(?m)^RUN (?:\\S+=\\S+ )*(java (?:.*\\\\\n)*.*)$").matcher(dockerfile);
        assertTrue(train.find(), "deploy/Dockerfile trains a start-up cache: RUN java … aot-train");
        List<String> trained = List.of(train.group(1).replace("\\\n", " ").split("&&")[0].trim().split("\\s+"));
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
        assertTrue(entry.find(), "deploy/Dockerfile has an exec-form ENTRYPOINT [...]");
        List<String> started = list(new Yaml().load(entry.group(1))).stream().map(String::valueOf).toList();

        String output = trained.stream().filter(a -> a.startsWith("-XX:AOTCacheOutput=")).findFirst().orElse("none");
        assertTrue(started.contains("-XX:AOTCache=" + output.substring(output.indexOf('=') + 1)),
                "the image starts from the cache its training wrote (" + output + "): " + started);
        assertEquals(List.of("aot-train"), trained.subList(trained.indexOf("-jar") + 2, trained.size()), "the training command");
        assertEquals(without(started.subList(0, started.indexOf("-jar") + 2), "-XX:AOTCache="),
                without(trained.subList(0, trained.indexOf("-jar") + 2), "-XX:AOTCacheOutput="),
                "the same java options and jar in the training run and the ENTRYPOINT");
    }

    private static List<String> without(List<String> args, String prefix) {
        return args.stream().filter(a -> !a.startsWith(prefix)).toList();
    }

    @Test
    void onlyTheWebhookIsPublic() throws IOException {
        Matcher route = Pattern.compile("rules\\.get\\(\"(/[^\"{]+)\\{appid}\"")
                .matcher(Files.readString(ROOT.resolve("bot/src/main/java/cn/shegong/bot/wechat/WebhookService.java")));
        assertTrue(route.find(), "WebhookService routes GET {prefix}{appid}");
        String webhook = route.group(1);
        var publicPorts = new TreeSet<String>(); // container ports that compose publishes beyond this host
        map(yaml("compose.yaml").get("services")).forEach((name, service) -> list(map(service).get("ports")).stream().map(Object::toString)
                .filter(p -> !p.startsWith("127.0.0.1:")).forEach(p -> {
                    assertEquals("nginx", name, name + " publishes " + p + " beyond this host");
                    publicPorts.add(p.substring(p.lastIndexOf(':') + 1));
                }));
        int proxied = 0;
        for (String[] server : blocks(Files.readString(DEPLOY.resolve("nginx/nginx.conf")).replaceAll("(?m)#.*$", ""), "server")) {
            if (Pattern.compile("listen\\s+(?:(\\S+):)?(\\d+)\\b").matcher(server[1]).results()
                    .anyMatch(l -> (l.group(1) == null || !l.group(1).startsWith("127.")) && publicPorts.contains(l.group(2)))) {
                for (String[] location : blocks(server[1], "location")) {
                    assertTrue(!location[1].contains("proxy_pass") || location[0].contains(webhook),
                            "a public nginx server proxies " + location[0]);
                    proxied += location[1].contains("proxy_pass") ? 1 : 0;
                }
            }
        }
        assertTrue(proxied > 0, "a public nginx server proxies " + webhook + " (public ports: " + publicPorts + ")");
        for (Object rule : list(map(yaml("k8s/ingress.yaml").get("spec")).get("rules"))) {
            for (Object p : list(map(map(rule).get("http")).get("paths"))) {
                assertTrue(map(p).get("path").toString().startsWith(webhook), "the ingress exposes " + map(p).get("path"));
                assertEquals("webhook", map(map(map(map(p).get("backend")).get("service")).get("port")).get("name"), "the ingress's service port");
            }
        }
    }

    /** Each {@code keyword … { … }} block of an nginx config: its header and its body, nested braces included. */
    private static List<String[]> blocks(String text, String keyword) {
        List<String[]> found = new ArrayList<>();
        Matcher m = Pattern.compile("\\b" + keyword + "\\b([^{};]*)\\{").matcher(text);
        for (int from = 0; m.find(from); ) {
            int depth = 1, i = m.end();
            for (; depth > 0; i++) {
                depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
            }
            found.add(new String[] {m.group(1).trim(), text.substring(m.end(), i - 1)});
            from = i;
        }
        return found;
    }

    private static Map<String, Object> container() throws IOException {
        return map(list(map(map(map(yaml("k8s/deployment.yaml").get("spec")).get("template")).get("spec")).get("containers")).get(0));
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        return map(new Yaml().load(Files.readString(DEPLOY.resolve(file))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static Stream<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        }
    }
}
