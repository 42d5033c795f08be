package gopl.mirror;

import java.util.Locale;
import java.util.Set;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The links of a page as jsoup's tree holds them: what mirror visited before {@link HtmlLinks},
 * kept as the reference the scanner is compared with, and to check saved mirrors independently
 * of it. The string-level parts (srcset, meta refresh, CSS) are {@link LinkRewriter}'s own.
 */
final class JsoupLinks {
    private static final Set<String> REQUISITE_RELS =
            Set.of("stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "modulepreload", "manifest");

    private JsoupLinks() {}

    /** Visits every link of the page, replacing those the visitor returns a replacement for. */
    static void rewrite(Document page, LinkRewriter.Visitor visitor) {
        for (var element : page.getAllElements()) {
            switch (element.normalName()) {
                case "a", "area" -> attribute(element, "href", false, visitor);
                case "link" -> attribute(element, "href", isRequisite(element), visitor);
                case "img", "source" -> {
                    attribute(element, "src", true, visitor);
                    if (element.hasAttr("srcset")) {
                        element.attr("srcset", LinkRewriter.srcset(element.attr("srcset"), element.baseUri(), visitor));
                    }
                }
                case "script", "iframe", "frame", "embed", "audio", "track", "input" -> attribute(element, "src", true, visitor);
                case "video" -> {
                    attribute(element, "src", true, visitor);
                    attribute(element, "poster", true, visitor);
                }
                case "object" -> attribute(element, "data", true, visitor);
                case "meta" -> {
                    if (element.attr("http-equiv").strip().equalsIgnoreCase("refresh")) {
                        var content = LinkRewriter.refresh(element.attr("content"), element.baseUri(), visitor);
                        if (content != null) {
                            element.attr("content", content);
                        }
                    }
                }
                case "style" -> {
                    for (DataNode css : element.dataNodes()) {
                        css.setWholeData(LinkRewriter.rewriteCss(css.getWholeData(), element.baseUri(), visitor));
                    }
                }
                default -> {}
            }
            attribute(element, "background", true, visitor);
            if (element.hasAttr("style")) {
                element.attr("style", LinkRewriter.rewriteCss(element.attr("style"), element.baseUri(), visitor));
            }
        }
    }

    private static boolean isRequisite(Element link) {
        for (var rel : link.attr("rel").toLowerCase(Locale.ROOT).split("\\s+")) {
            if (REQUISITE_RELS.contains(rel)) {
                return true;
            }
        }
        return false;
    }

    private static void attribute(Element element, String name, boolean requisite, LinkRewriter.Visitor visitor) {
        var link = element.attr(name).strip();
        if (link.isEmpty()) {
            return;
        }
        var replacement = visitor.visit(link, element.baseUri(), requisite);
        if (replacement != null) {
            element.attr(name, replacement);
        }
    }
}
