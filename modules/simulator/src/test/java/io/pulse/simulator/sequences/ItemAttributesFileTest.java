package io.pulse.simulator.sequences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemAttributesFileTest {

    private static final String BEAUTY = "shared/datasets/amazon-beauty/Beauty_item2attributes.json";

    @TempDir
    Path dir;

    @Test
    void shouldDeriveBrandsAndCategoryPathsFromAttributeIds() throws IOException {
        // 1 and 4 open item lists and appear later behind a brand (9, 7): they are level-1 categories.
        // 9 and 7 open lists but never appear later: brands. 2, 3, 5, 6 only appear later: deeper levels.
        Path file = write("attrs.json", """
                {"10": [1, 2, 3], "11": [9, 1, 2], "12": [4, 5],
                 "13": [7, 4, 6], "14": [4]}
                """);

        Map<String, ItemAttributes> items = ItemAttributesFile.readJsonArrays(file);

        assertThat(items.keySet()).containsExactly("10", "11", "12", "13", "14");
        assertThat(items.get("10")).isEqualTo(new ItemAttributes("10", Optional.empty(), CategoryPath.of("1", "2", "3")));
        assertThat(items.get("11")).isEqualTo(new ItemAttributes("11", Optional.of("9"), CategoryPath.of("1", "2")));
        assertThat(items.get("12").category().atLevel(2)).isEqualTo("4>5");
        assertThat(items.get("13")).isEqualTo(new ItemAttributes("13", Optional.of("7"), CategoryPath.of("4", "6")));
        assertThat(items.get("14").category().atLevel(2)).isEqualTo("4");
    }

    @Test
    void shouldRejectAnItemThatCannotBeClassifiedNamingIt() throws IOException {
        // level 1 = {1}; item 12 opens with 8 (never later: not level 1) followed by 5 (never first: not level 1)
        Path file = write("attrs.json", "{\"10\": [1, 2],\n \"11\": [9, 1],\n \"12\": [8, 5, 2]}");

        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(file))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("attrs.json:3: item '12' [8, 5, 2]")
                .hasMessageContaining("cannot be derived");
    }

    @Test
    void shouldRejectMalformedJsonShapes() throws IOException {
        Path empty = write("empty.json", "");
        Path notObject = write("array.json", "[1, 2]");
        Path notArray = write("scalar.json", "{\"10\": [1],\n\"11\": 3}");
        Path noAttribute = write("none.json", "{\"10\": []}");
        Path twice = write("twice.json", "{\"10\": [1], \"10\": [1]}");
        Path broken = write("broken.json", "{\"10\": [1,\n");

        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(empty)).hasMessageContaining("empty.json: no item");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(notObject))
                .hasMessageContaining("array.json:1: expected a JSON object");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(notArray))
                .hasMessageContaining("scalar.json:2: item '11': expected an array of attributes");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(noAttribute))
                .hasMessageContaining("item '10' has no attribute");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(twice))
                .hasMessageContaining("item '10' appears twice");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonArrays(broken))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("broken.json:")
                .hasMessageContaining("not JSON");
    }

    @Test
    void shouldReadJsonLinesWithStringOrArrayCategories() throws IOException {
        Path file = write("items.jsonl", """
                {"id": "a", "category": "Skin Care > Face", "price": 3}

                {"id": 7, "category": ["Hair Care", "Shampoo"], "tags": {"x": [1]}}
                """);

        Map<String, ItemAttributes> items = ItemAttributesFile.readJsonLines(file, "id", "category", '>');

        assertThat(items.get("a").category()).isEqualTo(CategoryPath.of("Skin Care", "Face"));
        assertThat(items.get("7").category()).isEqualTo(CategoryPath.of("Hair Care", "Shampoo"));
    }

    @Test
    void shouldRejectJsonLinesWithoutACategoryOrWithAnEmptyLevel() throws IOException {
        Path missing = write("missing.jsonl", "{\"id\": \"a\", \"category\": \"x\"}\n{\"id\": \"b\"}\n");
        Path emptyLevel = write("level.jsonl", "{\"id\": \"a\", \"category\": \"x>>y\"}\n");
        Path truncated = write("truncated.jsonl", "{\"id\": \"a\", \"category\": \"x\"\n");

        assertThatThrownBy(() -> ItemAttributesFile.readJsonLines(missing, "id", "category", '>'))
                .hasMessageContaining("missing.jsonl:2: item 'b' has no category field 'category'");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonLines(emptyLevel, "id", "category", '>'))
                .hasMessageContaining("level.jsonl:1: empty level in category path 'x>>y'");
        assertThatThrownBy(() -> ItemAttributesFile.readJsonLines(truncated, "id", "category", '>'))
                .isInstanceOf(MalformedFileException.class)
                .hasMessageContaining("truncated.jsonl:1: ");
    }

    @Test
    void shouldReadACsvWithItemAndCategoryColumns() throws IOException {
        Path file = write("items.csv", """
                sku,title,path
                A1,"Cream, rich",Skin Care/Face/Creams
                B2,Shampoo,Hair Care/Shampoo
                """);

        Map<String, ItemAttributes> items = ItemAttributesFile.readCsv(file, "sku", "path", '/');

        assertThat(items.keySet()).containsExactly("A1", "B2");
        assertThat(items.get("A1").category().atLevel(2)).isEqualTo("Skin Care>Face");
        assertThat(items.get("B2").category().depth()).isEqualTo(2);
    }

    @Test
    void shouldRejectACsvWithAMissingColumnShortRowOrEmptyCategory() throws IOException {
        Path noColumn = write("nocol.csv", "sku,title\nA1,x\n");
        Path shortRow = write("short.csv", "sku,path\nA1,x/y\nB2\n");
        Path emptyCategory = write("empty.csv", "sku,path\nA1,x/y\nB2,\n");
        Path duplicate = write("dup.csv", "sku,path\nA1,x/y\nA1,x/z\n");

        assertThatThrownBy(() -> ItemAttributesFile.readCsv(noColumn, "sku", "path", '/'))
                .hasMessageContaining("nocol.csv:1: no column 'path' in the header [sku, title]");
        assertThatThrownBy(() -> ItemAttributesFile.readCsv(shortRow, "sku", "path", '/'))
                .hasMessageContaining("short.csv:3: 1 fields where the header has 2");
        assertThatThrownBy(() -> ItemAttributesFile.readCsv(emptyCategory, "sku", "path", '/'))
                .hasMessageContaining("empty.csv:3: empty category path");
        assertThatThrownBy(() -> ItemAttributesFile.readCsv(duplicate, "sku", "path", '/'))
                .hasMessageContaining("dup.csv:3: item 'A1' appears twice");
    }

    @Test
    void shouldClassifyEveryBeautyItemIntoEightTopCategories() throws IOException {
        Path beauty = sharedDataSet();
        assumeTrue(beauty != null, "the shared Beauty data set is not next to the repository");

        Map<String, ItemAttributes> items = ItemAttributesFile.readJsonArrays(beauty);

        assertThat(items).hasSize(12_101);
        assertThat(items.values().stream().map(a -> a.category().atLevel(1)).collect(Collectors.toSet()))
                .hasSize(8);
        Set<String> levelTwoPaths = items.values().stream()
                .filter(a -> a.category().depth() >= 2)
                .map(a -> a.category().atLevel(2))
                .collect(Collectors.toSet());
        assertThat(levelTwoPaths).hasSize(42);
        // 105 items are classified only down to level 1 (in 6 of the 8 top categories): 48 level-2 ids in all
        assertThat(items.values().stream().map(a -> a.category().atLevel(2)).distinct().count()).isEqualTo(48);
        assertThat(items.values().stream().filter(a -> a.brand().isPresent()).count()).isEqualTo(7_492);
    }

    /**
     * The shared data set sits next to the repository ({@code ../shared} from its root, {@code ../../../shared} from
     * this module); a git worktree may sit deeper, so every ancestor of the module directory is tried.
     */
    private static Path sharedDataSet() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(BEAUTY))) {
                return dir.resolve(BEAUTY);
            }
        }
        return null;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
