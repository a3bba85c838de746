package io.pulse.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README and the pages under {@code docs/} link each other and the repository's files with relative links; a page
 * moved or a heading renamed must not leave a reader at a dead end. Every relative link must name an existing file
 * and, where it has a {@code #fragment} into a markdown file, a heading of that file (GitHub's anchor rules).
 */
class DocumentationLinksTest {

    /** {@code [text](target)} or {@code [text](target "title")}; the text may hold anything but a closing bracket. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *#*$");
    /** What GitHub drops from a heading to make its anchor: everything but letters, digits, blanks, - and _. */
    private static final Pattern NOT_IN_ANCHOR = Pattern.compile("[^\\p{L}\\p{N} _-]");

    @Test
    void shouldResolveEveryRelativeLinkInTheReadmeAndDocs() {
        List<String> broken = new ArrayList<>();
        List<Path> pages = pages(RepositoryFiles.root());
        int links = 0;
        for (Path page : pages) {
            List<String> targets = relativeLinks(read(page));
            links += targets.size();
            broken.addAll(brokenLinks(page, targets));
        }

        assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThan(1);
        assertThat(links).as("relative links found (the parser works)").isPositive();
        assertThat(broken).as("relative links that lead nowhere").isEmpty();
    }

    @Test
    void shouldLinkEveryDocsPageFromTheReadme() {
        Path root = RepositoryFiles.root();
        List<String> linked = relativeLinks(read(root.resolve("README.md"))).stream()
                .map(target -> target.split("#", 2)[0]).toList();

        for (Path page : pages(root)) {
            if (!page.getFileName().toString().equals("README.md")) {
                assertThat(linked).as("the README links " + root.relativize(page))
                        .contains(root.relativize(page).toString().replace('\\', '/'));
            }
        }
    }

    @Test
    void shouldReportMissingFilesAndMissingHeadings(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other page\n\n## A `code` heading, with punctuation!\n");
        Path page = dir.resolve("page.md");
        Files.writeString(page, """
                # Page
                [fine](other.md) [fine too](other.md#a-code-heading-with-punctuation) [here](#page)
                [gone](missing.md) [no such heading](other.md#nowhere) [web](https://example.com/x.md)
                `[in code](missing-too.md)`
                ```
                [in a fence](missing-three.md)
                ```
                """);

        assertThat(brokenLinks(page, relativeLinks(read(page))))
                .containsExactly("page.md: missing.md", "page.md: other.md#nowhere");
    }

    private static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** Links outside code: not web or mail addresses. */
    static List<String> relativeLinks(String markdown) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(markdown)) {
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    private static List<String> brokenLinks(Path page, List<String> targets) {
        List<String> broken = new ArrayList<>();
        for (String target : targets) {
            String[] parts = target.split("#", 2);
            Path file = parts[0].isEmpty() ? page : page.getParent().resolve(parts[0]).normalize();
            boolean resolves = Files.exists(file) && (parts.length == 1 || !file.toString().endsWith(".md")
                    || anchors(read(file)).contains(parts[1]));
            if (!resolves) {
                broken.add(page.getFileName() + ": " + target);
            }
        }
        return broken;
    }

    /** The anchors GitHub gives a page's headings (the {@code -1}, {@code -2} of repeated headings left out). */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        for (String line : prose(markdown)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(NOT_IN_ANCHOR.matcher(heading.group(1).toLowerCase(Locale.ROOT)).replaceAll("")
                        .replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The lines outside fenced code blocks. */
    private static List<String> prose(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
