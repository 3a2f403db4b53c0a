package cn.shegong.fakewechat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Just enough of multipart/form-data to take the file out of a media upload's first part. */
final class Multipart {

    private Multipart() {
    }

    static Optional<byte[]> firstPart(byte[] body, String contentType) {
        if (contentType == null || !contentType.contains("boundary=")) {
            return Optional.empty();
        }
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "").split(";")[0];
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        int headersEnd = start < 0 ? -1 : indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
        int end = headersEnd < 0 ? -1 : indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd);
        return end < 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(body, headersEnd + 4, end));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
