package io.foliosync.sinks.ghostfolio;

import io.foliosync.connectors.api.sink.SinkException;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ghostfolio answered 400 with its validation messages: on an import, nothing of the request was stored; each
 * message naming an activity starts {@code activities.N} (its index in the request).
 */
final class GhostfolioValidationException extends SinkException {
    private static final long serialVersionUID = 1L;
    private static final Pattern INDEX = Pattern.compile("^activities\\.(\\d+)\\b");

    private final List<String> messages;

    GhostfolioValidationException(String sinkId, String endpoint, List<String> messages) {
        super(sinkId, endpoint + " refused: " + String.join("; ", messages));
        this.messages = List.copyOf(messages);
    }

    /** @return Ghostfolio's messages, in its words */
    List<String> messages() {
        return messages;
    }

    /** @return the index of the activity {@code message} names, when it names one */
    static OptionalInt index(String message) {
        Matcher m = INDEX.matcher(message);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
