package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Internal: not part of the API (the store hashes holdings and lock names with it too).
 *
 * <p>Identity and content hashes. Decimals enter in their plain form without trailing zeros, so 1.50 and 1.5 hash
 * alike; fields are separated by a unit separator so no two field lists share a text.
 */
@API(status = INTERNAL, since = "0.1")
public final class Hashing {
    private static final char SEP = '\u001f';
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    });

    private Hashing() {
    }

    public static String sha256(CharSequence text) {
        MessageDigest md = SHA256.get();
        return HexFormat.of().formatHex(md.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The identity of a transaction whose source gives no id: what it is, not how the source describes it
     * (name, raw type and attributes may be enriched later without making it a new record).
     */
    public static String contentIdentity(Transaction t) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(t.date()).append(SEP).append(t.accountId()).append(SEP).append(t.type()).append(SEP);
        opt(sb, t.symbol());
        dec(sb, t.quantity());
        sb.append(SEP);
        t.price().ifPresent(p -> dec(sb, p));
        sb.append(SEP);
        dec(sb, t.amount());
        sb.append(SEP).append(t.currency()).append(SEP);
        dec(sb, t.fees());
        sb.append(SEP);
        opt(sb, t.description());
        return "h:" + sha256(sb);
    }

    /** @return the hash of every stored field of a transaction */
    public static String contentHash(Transaction t) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(t.date()).append(SEP).append(t.tradeDate()).append(SEP);
        opt(sb, t.symbol());
        opt(sb, t.name());
        sb.append(t.type()).append(SEP);
        dec(sb, t.quantity());
        sb.append(SEP);
        t.price().ifPresent(p -> dec(sb, p));
        sb.append(SEP);
        dec(sb, t.amount());
        sb.append(SEP).append(t.currency()).append(SEP);
        dec(sb, t.fees());
        sb.append(SEP);
        opt(sb, t.feeCurrency());
        sb.append(t.accountId()).append(SEP);
        opt(sb, t.description());
        opt(sb, t.rawType());
        attributes(sb, t.attributes());
        return sha256(sb);
    }

    public static String contentHash(Holding h) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(h.accountId()).append(SEP).append(h.symbol()).append(SEP);
        opt(sb, h.name());
        dec(sb, h.quantity());
        sb.append(SEP);
        h.currentPrice().ifPresent(p -> dec(sb, p));
        sb.append(SEP);
        h.marketValue().ifPresent(p -> dec(sb, p));
        sb.append(SEP);
        h.costBasis().ifPresent(p -> dec(sb, p));
        sb.append(SEP).append(h.currency()).append(SEP).append(h.assetClass()).append(SEP);
        opt(sb, h.externalId());
        attributes(sb, h.attributes());
        return sha256(sb);
    }

    private static void attributes(StringBuilder sb, Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        new TreeMap<>(attributes).forEach((k, v) -> sb.append(k).append('=').append(v).append(SEP));
    }

    private static void opt(StringBuilder sb, Optional<String> v) {
        v.ifPresent(sb::append);
        sb.append(SEP);
    }

    private static void dec(StringBuilder sb, BigDecimal v) {
        sb.append(v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString());
    }
}
