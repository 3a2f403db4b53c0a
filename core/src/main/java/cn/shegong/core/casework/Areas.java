package cn.shegong.core.casework;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Baoshan's counties and townships (templates/areas/baoshan-areas.csv, from the NBS division codes),
 * and finding a township in what a resident wrote: a full address, a short name, a WeChat location label.
 */
public final class Areas {

    /** A township-level division and its county; codes are NBS statistical codes; kind is the CSV's suffix word. */
    public record Township(String code, String name, String county, String countyCode, String kind) {
        /** The name without its kind suffix, as people often write it (for 姚关镇: 姚关). */
        String shortName() {
            return name.endsWith(kind) && name.length() - kind.length() >= 2 ? name.substring(0, name.length() - kind.length()) : name;
        }
    }

    private final List<Township> townships;

    private Areas(List<Township> townships) {
        this.townships = List.copyOf(townships);
    }

    /** Whether a place (a township code; empty when unknown) lies in a county and a township, each empty meaning any. */
    public static boolean within(String townshipCode, Optional<String> county, Optional<String> township) {
        String t = townshipCode == null ? "" : townshipCode;
        return county.map(t::startsWith).orElse(true) && township.map(t::equals).orElse(true);
    }

    public static Areas baoshan() {
        try (InputStream in = Areas.class.getClassLoader().getResourceAsStream("areas/baoshan-areas.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Township> list = new ArrayList<>();
            reader.lines().skip(1).map(l -> l.split(",")).filter(c -> c.length >= 5)
                    .forEach(c -> list.add(new Township(c[2].substring(0, 9), c[3], c[1], c[0].substring(0, 6), c[4])));
            return new Areas(list);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("templates/areas/baoshan-areas.csv cannot be read", e);
        }
    }

    public List<Township> townships() {
        return townships;
    }

    public Optional<Township> byCode(String code) {
        return townships.stream().filter(t -> t.code().equals(code)).findFirst();
    }

    /**
     * The township named in {@code text}: the full name first, then the short name; the longest
     * match wins, and when a county is named too it must agree.
     */
    public Optional<Township> find(String t) {
        Optional<String> county = townships.stream().map(Township::county).distinct()
                .filter(c -> t.contains(c) || t.contains(c.substring(0, 2))).findFirst();
        return townships.stream()
                .filter(s -> county.isEmpty() || s.county().equals(county.get()))
                .filter(s -> t.contains(s.name()) || t.contains(s.shortName()))
                .max(Comparator.comparingInt((Township s) -> t.contains(s.name()) ? 100 + s.name().length() : s.shortName().length()));
    }
}
