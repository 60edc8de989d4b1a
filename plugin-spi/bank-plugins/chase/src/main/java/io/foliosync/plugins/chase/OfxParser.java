package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.InstitutionAuthenticationException;
import io.foliosync.connectors.api.InstitutionErrorException;
import io.foliosync.connectors.api.InstitutionStatus;
import io.foliosync.connectors.api.MalformedDataException;
import io.foliosync.connectors.api.StatementLineIds;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OFX bank and credit-card statements, both the OFX 1.x SGML form (a {@code KEY:VALUE} header, leaf
 * elements without end tags) and the OFX 2.x XML form, into {@link BankStatement}s.
 *
 * <p>Why a parser of our own rather than ofx4j: ofx4j 1.39 pulls in old reflections, javassist and
 * commons-logging, which every plugin jar would have to bundle, and it is strict about the SGML quirks real
 * downloads have (empty leaf elements, lower-case values, odd date forms). Statements need only a handful of
 * elements; this parser builds a small element tree, closing SGML leaves implicitly, and is tested against
 * the ofxparse sample files.
 */
final class OfxParser {
    /** Elements that hold text; in SGML they may lack an end tag, even when empty. */
    private static final Set<String> LEAVES = Set.of("CODE", "SEVERITY", "MESSAGE", "DTSERVER", "LANGUAGE", "DTPROFUP",
            "DTACCTUP", "ORG", "FID", "TRNUID", "CLTCOOKIE", "CURDEF", "BANKID", "BRANCHID", "ACCTID", "ACCTTYPE",
            "ACCTKEY", "DTSTART", "DTEND", "TRNTYPE", "DTPOSTED", "DTUSER", "DTAVAIL", "TRNAMT", "FITID", "CORRECTFITID",
            "CORRECTACTION", "SRVRTID", "CHECKNUM", "REFNUM", "SIC", "PAYEEID", "NAME", "EXTDNAME", "MEMO", "INV401KSOURCE",
            "CURRATE", "CURSYM", "BALAMT", "DTASOF", "VALUEDATE", "ACCTBAL", "CATEGORY", "TRANSACTIONSPLIT",
            "MKTGINFO", "INTU.BID", "INTU.USERID", "SESSCOOKIE", "USERKEY", "TSKEYEXPIRE", "ACCESSKEY");
    private static final Pattern DATE = Pattern.compile(
            "(\\d{4})(\\d{2})(\\d{2})(?:(\\d{2})(\\d{2})(?:(\\d{2})(?:[.:](\\d{1,6}))?)?)?\\s*(?:\\[([+-]?\\d{1,2}(?:\\.\\d{1,2})?)(?::[^\\]]*)?])?");
    private static final Pattern XML_ENCODING = Pattern.compile("encoding=[\"']([A-Za-z0-9._-]+)[\"']");

    /** Aggregates a bank writes inside a statement only; one opened inside a line ends the line. */
    private static final Set<String> STATEMENT_PARTS = Set.of("STMTTRN", "LEDGERBAL", "AVAILBAL", "BALLIST",
            "MKTGINFO", "BANKTRANLIST");
    /** What a BANKTRANLIST holds; anything else opened in it means its end tag is missing. */
    private static final Set<String> TRANLIST_PARTS = Set.of("DTSTART", "DTEND", "STMTTRN");
    /** The OFX sign-on codes (15000 to 15999): the institution refused the user, not the request. */
    private static final int SIGNON_CODES_FROM = 15000;
    private static final int SIGNON_CODES_TO = 15999;
    /** OFX FITIDs are at most 255 characters; stored source ids at most 256. */
    private static final int MAX_SOURCE_ID = 256;

    private final String source;
    private final Path file;
    private final String defaultCurrency;
    private final Consumer<DataWarning> warnings;

    OfxParser(String source, Path file, String defaultCurrency) {
        this(source, file, defaultCurrency, w -> { });
    }

    /** @param warnings receives a warning for each optional field dropped and each line kept apart */
    OfxParser(String source, Path file, String defaultCurrency, Consumer<DataWarning> warnings) {
        this.source = source;
        this.file = file;
        this.defaultCurrency = defaultCurrency;
        this.warnings = warnings;
    }

    /** An element of the statement tree. */
    static final class Node {
        final String name;
        final int line;
        final List<Node> children = new ArrayList<>();
        String text;

        Node(String name, int line) {
            this.name = name;
            this.line = line;
        }

        Optional<Node> child(String n) {
            return children.stream().filter(c -> c.name.equals(n)).findFirst();
        }

        /** @return the trimmed text of child {@code n}, when present and not blank */
        Optional<String> text(String n) {
            return child(n).map(c -> c.text).map(String::trim).filter(s -> !s.isEmpty());
        }

        List<Node> all(String n) {
            List<Node> out = new ArrayList<>();
            collect(n, out);
            return out;
        }

        private void collect(String n, List<Node> out) {
            for (Node c : children) {
                if (c.name.equals(n)) {
                    out.add(c);
                } else {
                    c.collect(n, out);
                }
            }
        }
    }

    /**
     * @throws InstitutionAuthenticationException when the institution refused the sign-on (OFX codes 15000-15999)
     * @throws InstitutionErrorException          when it answered with another error instead of any statement
     * @throws DataFetchException                 naming line and field for a file that cannot be read
     */
    List<BankStatement> parse(byte[] bytes) {
        Node ofx = tree(decode(bytes));
        signOn(ofx);
        List<InstitutionErrorException> refused = new ArrayList<>();
        for (String wrapper : List.of("STMTTRNRS", "CCSTMTTRNRS", "INVSTMTTRNRS")) {
            for (Node rs : ofx.all(wrapper)) {
                rs.child("STATUS").ifPresent(st -> {
                    InstitutionStatus status = status(st);
                    if (status.code() == 0) {
                        return;
                    }
                    if (isError(status)) {
                        refused.add(new InstitutionErrorException(source, file.toString(), "line " + st.line,
                                wrapper + ".STATUS", status,
                                "the institution answered the statement request (" + wrapper + ") with its error "
                                        + status.describe() + " instead of a statement; download the statement again, "
                                        + "and if the error stays, ask the institution about this code"));
                    } else {
                        warnings.accept(DataWarning.field(source, file.toString(), st.line, wrapper + ".STATUS",
                                "the institution reports " + status.describe() + "; the statement is read as it is"));
                    }
                });
            }
        }
        List<BankStatement> out = new ArrayList<>();
        for (Node rs : ofx.all("STMTRS")) {
            out.add(statement(rs, rs.child("BANKACCTFROM"), false));
        }
        for (Node rs : ofx.all("CCSTMTRS")) {
            out.add(statement(rs, rs.child("CCACCTFROM"), true));
        }
        if (out.isEmpty()) {
            if (!refused.isEmpty()) {
                throw refused.get(0);
            }
            throw malformed(ofx.line, null, "holds no bank (STMTRS) or credit-card (CCSTMTRS) statement; investment "
                    + "statements are not supported by this plugin");
        }
        // the statements that came are imported; the ones refused are said
        refused.forEach(e -> warnings.accept(new DataWarning(source, file.toString(), e.record()
                .map(r -> OptionalInt.of(Integer.parseInt(r.substring("line ".length())))).orElse(OptionalInt.empty()),
                e.field(), e.detail() + "; the file's other statements are imported")));
        return out;
    }

    /**
     * A sign-on refused means the whole file is the institution's error page, whatever else it holds; Quicken and
     * banks' servers write one with code 15500 for a wrong password, 2000 for a failure of their own.
     */
    private void signOn(Node ofx) {
        Optional<Node> st = ofx.child("SIGNONMSGSRSV1").flatMap(m -> m.child("SONRS")).flatMap(r -> r.child("STATUS"));
        if (st.isEmpty()) {
            return;
        }
        InstitutionStatus status = status(st.get());
        if (status.code() == 0) {
            return;
        }
        if (!isError(status)) {
            warnings.accept(DataWarning.field(source, file.toString(), st.get().line, "SONRS.STATUS",
                    "the institution reports " + status.describe() + " at sign-on; the statement is read as it is"));
            return;
        }
        if (status.code() >= SIGNON_CODES_FROM && status.code() <= SIGNON_CODES_TO) {
            throw new InstitutionAuthenticationException(source, file.toString(), st.get().line, status,
                    "the institution refused the sign-on with its error " + status.describe() + "; this file holds "
                            + "no statement: sign in at the institution, fix the credentials there and download the "
                            + "statement again");
        }
        throw new InstitutionErrorException(source, file.toString(), "line " + st.get().line, "SONRS.STATUS", status,
                "the institution answered the sign-on with its error " + status.describe() + " instead of a "
                        + "statement; download the statement again, and if the error stays, ask the institution "
                        + "about this code");
    }

    private InstitutionStatus status(Node st) {
        String code = st.text("CODE").orElseThrow(() -> malformed(st.line, "STATUS.CODE", "the status has no code"));
        int value;
        try {
            value = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            throw malformed(st.line, "STATUS.CODE", "'" + code + "' is not an OFX status code");
        }
        return new InstitutionStatus(value, st.text("SEVERITY").map(x -> x.toUpperCase(Locale.ROOT)).orElse(""),
                st.text("MESSAGE"));
    }

    /** A non-zero code is an error unless the institution called it INFO or WARN. */
    private static boolean isError(InstitutionStatus status) {
        return !status.severity().equals("INFO") && !status.severity().equals("WARN");
    }

    // ------------------------------------------------------------------ text and tree

    static String decode(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        String ascii = new String(bytes, start, Math.min(bytes.length - start, 512), StandardCharsets.ISO_8859_1);
        Charset cs = StandardCharsets.UTF_8;
        if (ascii.stripLeading().startsWith("<?xml")) {
            Matcher m = XML_ENCODING.matcher(ascii);
            if (m.find()) {
                cs = charset(m.group(1), StandardCharsets.UTF_8);
            }
        } else {
            String upper = ascii.toUpperCase(Locale.ROOT);
            if (!upper.contains("ENCODING:UTF-8") && upper.contains("CHARSET:")) {
                cs = charset("windows-1252", StandardCharsets.ISO_8859_1);
            }
        }
        return new String(bytes, start, bytes.length - start, cs);
    }

    private static Charset charset(String name, Charset fallback) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    Node tree(String text) {
        int ofxStart = text.indexOf("<OFX>");
        if (ofxStart < 0) {
            throw malformed(1, null, "has no <OFX> element: not an OFX or QFX file");
        }
        int line = 1 + count(text, 0, ofxStart);
        Node root = new Node("#root", 1);
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        Node ofx = null;
        int i = ofxStart;
        int n = text.length();
        while (i < n) {
            int lt = text.indexOf('<', i);
            int end = lt < 0 ? n : lt;
            if (end > i) {
                String chunk = text.substring(i, end);
                String t = chunk.strip();
                if (!t.isEmpty() && stack.peek() != root) {
                    appendText(stack.peek(), unescape(t));
                }
                line += count(text, i, end);
            }
            if (lt < 0) {
                break;
            }
            if (text.startsWith("<![CDATA[", lt)) {
                int close = text.indexOf("]]>", lt);
                if (close < 0) {
                    throw truncated(line, stack);
                }
                if (stack.peek() != root) {
                    appendText(stack.peek(), text.substring(lt + 9, close));
                }
                line += count(text, lt, close);
                i = close + 3;
                continue;
            }
            int gt = text.indexOf('>', lt);
            if (gt < 0) {
                throw truncated(line, stack);
            }
            String tag = text.substring(lt + 1, gt).trim();
            int tagLine = line;
            line += count(text, lt, gt);
            i = gt + 1;
            if (tag.startsWith("?") || tag.startsWith("!")) {
                continue;
            }
            if (tag.startsWith("/")) {
                String name = tag.substring(1).trim().toUpperCase(Locale.ROOT);
                if (stack.stream().anyMatch(x -> x.name.equals(name))) {
                    while (!stack.peek().name.equals(name)) {
                        stack.pop();
                    }
                    stack.pop();
                }
                continue;
            }
            boolean selfClosing = tag.endsWith("/");
            String name = (selfClosing ? tag.substring(0, tag.length() - 1) : tag).trim().toUpperCase(Locale.ROOT);
            int space = name.indexOf(' ');
            if (space > 0) {
                name = name.substring(0, space);
            }
            Node top = stack.peek();
            if (top != root && (top.text != null || LEAVES.contains(top.name))) {
                stack.pop();
            }
            closeUnended(stack, name);
            Node node = new Node(name, tagLine);
            stack.peek().children.add(node);
            if (ofx == null && name.equals("OFX")) {
                ofx = node;
            }
            if (!selfClosing) {
                stack.push(node);
            }
        }
        while (stack.peek() != root && (stack.peek().text != null || LEAVES.contains(stack.peek().name))) {
            stack.pop();
        }
        if (stack.peek() != root) {
            throw truncated(line, stack);
        }
        return ofx;
    }

    /**
     * Some banks leave out an aggregate's end tag ({@code </BANKTRANLIST>}, {@code </STMTTRN>}): the element opening
     * now shows where it ended, so what follows (the ledger balance) is not read as part of it.
     */
    private static void closeUnended(Deque<Node> stack, String opening) {
        boolean closed = true;
        while (closed) {
            String top = stack.peek().name;
            closed = (top.equals("STMTTRN") && STATEMENT_PARTS.contains(opening))
                    || (top.equals("BANKTRANLIST") && !TRANLIST_PARTS.contains(opening));
            if (closed) {
                stack.pop();
            }
        }
    }

    private static void appendText(Node node, String t) {
        node.text = node.text == null ? t : node.text + t;
    }

    private DataFetchException truncated(int line, Deque<Node> stack) {
        Node open = stack.stream().filter(x -> !LEAVES.contains(x.name) && x.text == null && !x.name.equals("#root"))
                .findFirst().orElse(stack.peek());
        return malformed(line, null, "the file ends inside <" + open.name + "> opened on line " + open.line
                + ": it looks truncated; download the statement again");
    }

    private static int count(String text, int from, int to) {
        int c = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == '\n') {
                c++;
            }
        }
        return c;
    }

    private static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }

    // ------------------------------------------------------------------ statements

    private BankStatement statement(Node rs, Optional<Node> from, boolean creditCard) {
        Node acct = from.orElseThrow(() -> malformed(rs.line, creditCard ? "CCACCTFROM" : "BANKACCTFROM",
                "the statement names no account"));
        String acctId = acct.text("ACCTID").orElseThrow(() -> malformed(acct.line, "ACCTID", "the account has no id"));
        AccountType type = creditCard ? AccountType.CREDIT_CARD : accountType(acct.text("ACCTTYPE").orElse(""));
        List<Node> trns = rs.child("BANKTRANLIST").map(l -> l.all("STMTTRN")).orElse(List.of());
        String currency = rs.text("CURDEF").map(c -> c.toUpperCase(Locale.ROOT))
                .or(() -> trns.stream().map(t -> t.child("CURRENCY").or(() -> t.child("ORIGCURRENCY"))
                        .flatMap(c -> c.text("CURSYM"))).flatMap(Optional::stream).findFirst())
                .orElse(defaultCurrency);
        String accountId = ChasePlugin.accountId(acctId);
        LineIds ids = new LineIds();
        List<BankTransaction> out = new ArrayList<>();
        for (Node t : trns) {
            out.add(transaction(t, accountId, currency, ids));
        }
        Optional<Balance> balance = rs.child("LEDGERBAL").flatMap(l -> leaf(l, "BALAMT")
                .flatMap(amt -> optional(() -> amount(amt.text, amt.line, "LEDGERBAL.BALAMT"), "the statement's "
                        + "balance is not imported; its lines are"))
                .map(ledger -> new Balance(accountId, ledger,
                        rs.child("AVAILBAL").flatMap(a -> leaf(a, "BALAMT")).flatMap(amt -> optional(() ->
                                amount(amt.text, amt.line, "AVAILBAL.BALAMT"), "the available balance is left out")),
                        currency, leaf(l, "DTASOF").flatMap(d -> optional(() -> instant(d.text, d.line,
                                        "LEDGERBAL.DTASOF"), "the balance is dated by the statement's newest line "
                                        + "instead"))
                        .orElseGet(() -> latestInstant(out)))));
        return new BankStatement(file, accountId, type, currency, out, balance);
    }

    /** @return the child {@code n} of {@code parent} when it holds text */
    private static Optional<Node> leaf(Node parent, String n) {
        return parent.child(n).filter(c -> c.text != null && !c.text.isBlank());
    }

    /**
     * Reads an optional field: a malformed one is dropped with a warning naming file, line and field, so that one
     * bad value never costs the file's valid lines.
     *
     * @param consequence what dropping the field means, for the warning
     */
    private <T> Optional<T> optional(Supplier<T> read, String consequence) {
        try {
            return Optional.of(read.get());
        } catch (MalformedDataException e) {
            warnings.accept(new DataWarning(source, file.toString(), e.record()
                    .map(r -> OptionalInt.of(Integer.parseInt(r.substring("line ".length()))))
                    .orElse(OptionalInt.empty()), e.field(), e.detail() + ": dropped; " + consequence));
            return Optional.empty();
        }
    }

    /**
     * Source ids of one statement's lines: the bank's FITID, else the documented hash of
     * {@link StatementLineIds}. Some banks give two different lines one FITID; the first keeps it (as earlier
     * imports stored it) and each other gets the FITID plus a digest of its content, so both are kept, while a
     * line repeated identically keeps the FITID and is still merged as one.
     */
    private final class LineIds {
        private final StatementLineIds hashed = new StatementLineIds();
        private final Map<String, String> firstContent = new HashMap<>();
        private final Map<String, Integer> firstLine = new HashMap<>();

        String id(Optional<String> fitid, int line, LocalDate posted, BigDecimal amount, String currency,
                  String description, Optional<BigDecimal> balanceAfter, Optional<String> rawType) {
            if (fitid.isEmpty()) {
                return hashed.next(posted, amount, description, balanceAfter);
            }
            String id = fitid.get();
            String content = String.join("|", posted.toString(), amount.stripTrailingZeros().toPlainString(),
                    currency, description, balanceAfter.map(b -> b.stripTrailingZeros().toPlainString()).orElse(""),
                    rawType.orElse(""));
            String first = firstContent.putIfAbsent(id, content);
            if (first == null) {
                firstLine.put(id, line);
                return id;
            }
            if (first.equals(content)) {
                return id;
            }
            String digest = digest(content);
            String kept = id.length() + 1 + digest.length() <= MAX_SOURCE_ID ? id + "#" + digest
                    : StatementLineIds.PREFIX + digest(id + "|" + content);
            warnings.accept(DataWarning.field(source, file.toString(), line, "FITID", "FITID '" + id + "' is also "
                    + "the id of the different line on line " + firstLine.get(id) + "; both lines are kept, this one "
                    + "with the id '" + kept + "'"));
            return kept;
        }
    }

    private static String digest(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static Instant latestInstant(List<BankTransaction> trns) {
        return trns.stream().map(BankTransaction::postedDate).max(LocalDate::compareTo)
                .map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(Instant.EPOCH);
    }

    private BankTransaction transaction(Node t, String accountId, String currency, LineIds ids) {
        LocalDate posted = date(t.text("DTPOSTED").orElseThrow(() -> malformed(t.line, "DTPOSTED",
                "the transaction has no posting date")), t.line, "DTPOSTED");
        BigDecimal amount = amount(t.text("TRNAMT").orElseThrow(() -> malformed(t.line, "TRNAMT",
                "the transaction has no amount")), t.line, "TRNAMT");
        Optional<String> name = t.text("NAME").or(() -> t.child("PAYEE").flatMap(p -> p.text("NAME")));
        Optional<String> memo = t.text("MEMO");
        String description = describe(name, memo);
        Optional<String> check = t.text("CHECKNUM").filter(c -> !c.equals("0"));
        if (check.isPresent() && !description.contains(check.get())) {
            description = (description + " (check " + check.get() + ")").strip();
        }
        Optional<BigDecimal> balanceAfter = t.text("ACCTBAL").flatMap(b -> optional(() -> amount(b, t.line, "ACCTBAL"),
                "the line is imported without its running balance"));
        Optional<String> rawType = t.text("TRNTYPE").map(s -> s.toUpperCase(Locale.ROOT));
        String trnCurrency = t.child("CURRENCY").flatMap(c -> c.text("CURSYM")).map(s -> s.toUpperCase(Locale.ROOT))
                .orElse(currency);
        String sourceId = ids.id(t.text("FITID"), t.line, posted, amount, trnCurrency, description, balanceAfter,
                rawType);
        return new BankTransaction(sourceId, accountId, posted, amount, trnCurrency, description, name, balanceAfter,
                type(rawType.orElse(""), amount), rawType);
    }

    /** OFX 1.x cuts NAME at 32 characters and often repeats it at the start of MEMO. */
    static String describe(Optional<String> name, Optional<String> memo) {
        if (name.isEmpty()) {
            return memo.orElse("");
        }
        if (memo.isEmpty() || memo.get().equals(name.get())) {
            return name.get();
        }
        if (memo.get().startsWith(name.get())) {
            return memo.get();
        }
        return name.get() + " / " + memo.get();
    }

    static AccountType accountType(String ofx) {
        return switch (ofx.toUpperCase(Locale.ROOT)) {
            case "CHECKING" -> AccountType.CHECKING;
            case "SAVINGS", "MONEYMRKT", "CD" -> AccountType.SAVINGS;
            case "CREDITLINE" -> AccountType.CREDIT_CARD;
            default -> AccountType.OTHER;
        };
    }

    static TransactionType type(String trnType, BigDecimal amount) {
        return switch (trnType) {
            case "INT" -> TransactionType.INTEREST;
            case "DIV" -> TransactionType.DIVIDEND;
            case "FEE", "SRVCHG" -> TransactionType.FEE;
            case "XFER" -> amount.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
            default -> BankTransaction.typeForSign(amount);
        };
    }

    // ------------------------------------------------------------------ values

    BigDecimal amount(String text, int line, String field) {
        String s = text.trim().replace(" ", "");
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.indexOf(',') >= 0 && s.indexOf('.') < 0) {
            s = s.replace(',', '.');
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw malformed(line, field, "'" + text + "' is not an amount");
        }
    }

    LocalDate date(String text, int line, String field) {
        Matcher m = DATE.matcher(text.trim());
        if (!m.matches()) {
            throw malformed(line, field, "'" + text + "' is not an OFX date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])");
        }
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw malformed(line, field, "'" + text + "' is not a calendar date");
        }
    }

    /** @return the moment an OFX date-time names; without an offset it is taken as UTC, as the OFX spec says */
    Instant instant(String text, int line, String field) {
        Matcher m = DATE.matcher(text.trim());
        if (!m.matches()) {
            throw malformed(line, field, "'" + text + "' is not an OFX date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])");
        }
        try {
            LocalDateTime ldt = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            ZoneOffset offset = ZoneOffset.UTC;
            if (m.group(8) != null) {
                offset = offset(m.group(8));
            }
            if (m.group(7) != null) {
                String frac = (m.group(7) + "000000").substring(0, 6);
                ldt = ldt.plusNanos(Long.parseLong(frac) * 1000L);
            }
            return ldt.toInstant(offset);
        } catch (DateTimeException | ArithmeticException e) {
            throw malformed(line, field, "'" + text + "' is not a valid OFX date-time");
        }
    }

    /**
     * An OFX offset in hours: {@code -5}, {@code +5.30} or {@code +5.5} (both five and a half hours: two fraction
     * digits of 00, 15, 30 or 45 are minutes, anything else a fraction of an hour).
     */
    static ZoneOffset offset(String text) {
        int dot = text.indexOf('.');
        String whole = dot < 0 ? text : text.substring(0, dot);
        String frac = dot < 0 ? "" : text.substring(dot + 1);
        int sign = whole.startsWith("-") ? -1 : 1;
        int hours = Math.abs(Integer.parseInt(whole.replace("+", "")));
        int minutes;
        if (frac.isEmpty()) {
            minutes = 0;
        } else if (frac.length() == 2 && Set.of("00", "15", "30", "45").contains(frac)) {
            minutes = Integer.parseInt(frac);
        } else {
            minutes = new BigDecimal("0." + frac).multiply(BigDecimal.valueOf(60)).intValue();
        }
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
    }

    private DataFetchException malformed(int line, String field, String detail) {
        return DataFetchException.malformed(source, file.toString(), "line " + line, field, detail, null);
    }
}
