package cn.shegong.core.message;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One message in a conversation, in or out. {@code content} is the text (or a type's readable
 * stand-in); {@code fields} keeps the type's other WeChat fields (MediaId, Location_X, Event…).
 *
 * @param wechatMsgId WeChat's MsgId for inbound ordinary messages, unique; empty for events and replies
 * @param sentAt      WeChat's CreateTime for inbound messages, our send time for outbound ones
 * @param storedAt    when we stored it
 */
public record StoredMessage(
        String openid,
        Direction direction,
        String type,
        String content,
        Optional<Long> wechatMsgId,
        Map<String, String> fields,
        Instant sentAt,
        Instant storedAt) {

    public enum Direction { IN, OUT }
}
