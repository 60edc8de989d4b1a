package io.foliosync.connectors.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class JsonTest {
    public record Fill(BigDecimal qty, Instant at, LocalDate day) {
    }

    @Test
    void bigDecimalsKeepEveryDigitFromNumbersAndStrings() throws Exception {
        Fill f = Json.moshi().adapter(Fill.class)
                .fromJson("{\"qty\":\"0.30000000000000004441\",\"at\":\"2024-01-02T03:04:05.123+01:00\",\"day\":\"2024-01-02\"}");
        assertThat(f.qty()).isEqualTo(new BigDecimal("0.30000000000000004441"));
        assertThat(f.at()).isEqualTo(Instant.parse("2024-01-02T02:04:05.123Z"));
        assertThat(f.day()).isEqualTo(LocalDate.of(2024, 1, 2));
        assertThat(Json.moshi().adapter(Fill.class).toJson(f)).contains("\"qty\":0.30000000000000004441");
    }

    @Test
    void badValuesNameTheirPath() {
        assertThatThrownBy(() -> Json.moshi().adapter(Fill.class).fromJson("{\"qty\":\"1e\",\"at\":null}"))
                .isInstanceOf(JsonDataException.class).hasMessageContaining("$.qty").hasMessageContaining("'1e'");
        assertThatThrownBy(() -> Json.moshi().adapter(Fill.class).fromJson("{\"at\":\"yesterday\"}"))
                .isInstanceOf(JsonDataException.class).hasMessageContaining("$.at");
    }

    @Test
    @SuppressWarnings("unchecked")
    void treeReadsNumbersAsBigDecimalsAndKeepsOrder() throws Exception {
        Object tree = Json.readTree("{\"b\":[1, 2.50, true, null], \"a\":\"x\"}");
        assertThat(tree).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        assertThat(map.keySet()).containsExactly("b", "a");
        assertThat((List<Object>) map.get("b")).containsExactly(new BigDecimal("1"), new BigDecimal("2.50"), true, null);
    }

    @Test
    void treeRefusesTrailingGarbage() {
        assertThatThrownBy(() -> Json.readTree("{} {")).isInstanceOf(JsonEncodingException.class);
    }
}
