package dev.knet.workloads.bookinfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTML of productpage's templates, cut down to what a terminal or a screenshot needs. */
final class ProductpageHtml {

    private static final String TITLE = "The Comedy of Errors";
    private static final String DESCRIPTION = "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">"
            + "Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. "
            + "It is his shortest and one of his most farcical comedies, with a major part of the humour coming "
            + "from slapstick and mistaken identity, in addition to puns and word play.";
    private static final int MAX_STARS = 5;

    private ProductpageHtml() {
    }

    static Map<String, Object> product() {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", 0);
        product.put("title", TITLE);
        product.put("descriptionHtml", DESCRIPTION);
        return product;
    }

    static String index() {
        return head("Simple Bookstore App") + "<h3>Hello! This is a simple bookstore application consisting of "
                + "three services as shown below</h3>\n<p>Click on one of the links below to auto generate a "
                + "request to the backend as a real user or a tester</p>\n<p><a href=\"/productpage?u=normal\">"
                + "Normal user</a></p>\n<p><a href=\"/productpage?u=test\">Test user</a></p>\n</body></html>\n";
    }

    static String page(Productpage.Fetched details, Productpage.Fetched reviews, String servedBy) {
        StringBuilder html = new StringBuilder(head("Simple Bookstore App"));
        html.append("<h1 class=\"text-primary\">").append(TITLE).append("</h1>\n<p>").append(DESCRIPTION)
                .append("</p>\n<p class=\"served-by\">Product page served by: <u>").append(esc(servedBy))
                .append("</u></p>\n");
        html.append("<div class=\"details\">\n");
        if (details.ok()) {
            Map<String, Object> d = details.body();
            html.append("<h4>Book Details</h4>\n<dl>\n");
            for (String[] field : new String[][] {{"type", "Type"}, {"pages", "Pages"}, {"publisher", "Publisher"},
                {"language", "Language"}, {"ISBN-10", "ISBN-10"}, {"ISBN-13", "ISBN-13"}}) {
                html.append("<dt>").append(field[1]).append(":</dt><dd>").append(esc(d.get(field[0])))
                        .append("</dd>\n");
            }
            html.append("</dl>\n");
        } else {
            html.append("<h4>Error fetching product details!</h4>\n<p>").append(esc(details.body().get("error")))
                    .append("</p>\n");
        }
        html.append("</div>\n<div class=\"reviews\">\n");
        if (reviews.ok()) {
            appendReviews(html, reviews.body());
        } else {
            html.append("<h4>Error fetching product reviews!</h4>\n<p>").append(esc(reviews.body().get("error")))
                    .append("</p>\n");
        }
        return html.append("</div>\n</body></html>\n").toString();
    }

    private static void appendReviews(StringBuilder html, Map<String, Object> body) {
        html.append("<h4>Book Reviews</h4>\n");
        if (body.get("reviews") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> review) {
                    html.append("<blockquote>\n<p>").append(esc(review.get("text"))).append("</p>\n<small>")
                            .append(esc(review.get("reviewer"))).append("</small>\n");
                    appendRating(html, review.get("rating"));
                    html.append("</blockquote>\n");
                }
            }
        }
        Object version = body.get("version");
        html.append("<dl><dt>Reviews served by:</dt><dd><u>").append(esc(body.get("podname"))).append("</u>");
        if (version != null) {
            html.append(" (reviews-").append(esc(version)).append(")");
        }
        Object cluster = body.get("clustername");
        if (cluster != null && !"null".equals(cluster)) {
            html.append(" on cluster <u>").append(esc(cluster)).append("</u>");
        }
        html.append("</dd></dl>\n");
    }

    private static void appendRating(StringBuilder html, Object rating) {
        if (!(rating instanceof Map<?, ?> r)) {
            return;
        }
        if (r.get("stars") instanceof Number n) {
            int stars = Math.clamp(n.intValue(), 0, MAX_STARS);
            html.append("<font color=\"").append(esc(r.get("color"))).append("\" class=\"stars\">");
            html.append("<span class=\"glyphicon glyphicon-star\">★</span>".repeat(stars));
            html.append("<span class=\"glyphicon glyphicon-star-empty\">☆</span>".repeat(MAX_STARS - stars));
            html.append("</font>\n");
        } else {
            html.append("<p><i>").append(esc(r.get("error"))).append("</i></p>\n");
        }
    }

    private static String head(String title) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>\n";
    }

    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
