package dev.quarry.architecture;

import dev.quarry.llm.LlmProperties;
import dev.quarry.llm.PriceTable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's price table is the one {@link PriceTable} uses when nothing is configured. */
class PriceTableDocTest {

    @Test
    void the_readme_lists_the_default_prices() {
        List<List<String>> documented = MarkdownTable.under(Repository.read(Repository.root().resolve("README.md")),
                "### Prices");
        PriceTable defaults = new PriceTable(new LlmProperties(null, null, null, null, Map.of(), List.of(), null));

        List<List<String>> inCode = defaults.all().stream().map(price -> List.of(price.provider(), price.model(),
                plain(price.inputPerMillion()), plain(price.outputPerMillion()))).toList();

        assertThat(documented.stream().map(row -> List.of(row.get(0), row.get(1), plain(new BigDecimal(row.get(2))),
                plain(new BigDecimal(row.get(3))))).sorted(PriceTableDocTest::byKey).toList())
                .isEqualTo(inCode.stream().sorted(PriceTableDocTest::byKey).toList());
    }

    private static String plain(BigDecimal price) {
        return price.stripTrailingZeros().toPlainString();
    }

    private static int byKey(List<String> a, List<String> b) {
        return (a.get(0) + "/" + a.get(1)).compareTo(b.get(0) + "/" + b.get(1));
    }
}
