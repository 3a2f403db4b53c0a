package cn.shegong.bot.wechat;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads WeChat's flat XML into a map of element paths to text: {@code <xml><A>1</A><B><C>2</C></B></xml>}
 * gives {@code A=1, B.C=2}. One hardened factory is shared (creating one per request is where
 * WeChat webhooks usually spend their time): no DTD, no external entities, a depth limit, and a
 * document that declares a DOCTYPE is refused outright.
 */
public final class WxXml {

    private static final int MAX_DEPTH = 6;
    private static final int MAX_FIELDS = 256;
    private static final XMLInputFactory FACTORY = hardenedFactory();

    private WxXml() {
    }

    private static XMLInputFactory hardenedFactory() {
        // The JDK's own parser, whatever else is on the class path: the spreadsheet reader brings
        // Aalto, which newFactory() would pick, and which refuses XML 1.1 character references.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        return f;
    }

    /** Parses a WeChat XML body whose root is {@code <xml>}. */
    public static Map<String, String> parse(byte[] body) {
        if (body.length == 0) {
            throw new MalformedXmlException("empty body");
        }
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            return read(reader);
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof MalformedXmlException m) {
                throw m;
            }
            throw new MalformedXmlException("not well-formed XML");
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the byte array
                }
            }
        }
    }

    private static Map<String, String> read(XMLStreamReader reader) throws XMLStreamException {
        Map<String, String> fields = new LinkedHashMap<>();
        Deque<String> path = new ArrayDeque<>();
        StringBuilder text = new StringBuilder();
        boolean sawRoot = false;
        while (reader.hasNext()) {
            switch (reader.next()) {
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        throw new MalformedXmlException("DOCTYPE and entities are not allowed");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (path.isEmpty()) {
                        if (sawRoot || !"xml".equals(reader.getLocalName())) {
                            throw new MalformedXmlException("root element must be <xml>");
                        }
                        sawRoot = true;
                    }
                    path.addLast(reader.getLocalName());
                    if (path.size() > MAX_DEPTH) {
                        throw new MalformedXmlException("nested too deeply");
                    }
                    text.setLength(0);
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        text.append(reader.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    if (path.size() > 1) {
                        String key = String.join(".", path).substring(4); // drop "xml."
                        fields.putIfAbsent(key, withoutControls(text.toString()).strip());
                        if (fields.size() > MAX_FIELDS) {
                            throw new MalformedXmlException("too many elements");
                        }
                    }
                    path.removeLast();
                    text.setLength(0);
                }
                default -> {
                    // comments and processing instructions carry nothing for us
                }
            }
        }
        if (!sawRoot) {
            throw new MalformedXmlException("no <xml> root");
        }
        return fields;
    }

    /** Wraps a value in CDATA, splitting any {@code ]]>} inside it so text can never end the section early. */
    public static String cdata(String value) {
        return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    /**
     * Drops control characters (ESC, BEL… — XML 1.1 lets them in) and the bidirectional overrides
     * (U+202A–U+202E, U+2066–U+2069) that can make a text read differently from what it is; keeps
     * line breaks and tabs. What people write is otherwise stored as sent.
     */
    static String withoutControls(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean drop = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c < 0xa0)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            if (drop && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!drop && out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }
}
