package io.lifeboat.testsupport;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * Walks every operation of a running service's OpenAPI document with a fixed corpus of bad inputs and records every
 * answer that breaks the API's promise: a 5xx, or an error that is not {@code application/problem+json} with a type
 * from the README's list (between the {@code problem-types} markers) and a {@code status} equal to the HTTP status.
 */
public final class ApiFuzzer {

    /** Bad values for every path and query parameter. */
    static final List<String> VALUES = List.of("\u0000", "a\u0000b", "\u0001", "a\nb", "\r\n", "\u007f", "\u0085",
            "x".repeat(256), "x".repeat(1500), "x".repeat(1_000_000), "abc", "1.5", "99999999999", "-1", "0", "",
            " ", "../../etc/passwd", "yes", "2026-13-45T99:00:00Z", "%", "%00", "\u00e9\u4e2d\ud83d\ude00", "true",
            "null", "<script>",
            "a/b", "'; drop table x; --");

    /** Bad bodies for every operation that takes one. */
    static final List<byte[]> BODIES = List.of(bytes("{\"a\":"), bytes("\"s\""), bytes("{\"reason\": 5}"),
            bytes("null"), bytes("{\"reason\":\"a\\u0000b\"}"), bytes("{\"reason\":\"" + "x".repeat(1_000_000) + "\"}"),
            new byte[] {(byte) 0xff, (byte) 0xfe, '{'}, bytes("[{\"x\":[[[[[[[[[[[[]]]]]]]]]]]]}]"),
            bytes("{\"unexpected\": 1, \"reason\": \"x\"}"));

    /**
     * A body over the 10 MiB limit: refused (413) from its Content-Length by one route handler before any operation,
     * so sent to the first operation that takes a body only (the client still uploads it whole: seconds each).
     */
    static final byte[] OVERSIZED = new byte[11 * 1024 * 1024];
    private final java.util.concurrent.atomic.AtomicBoolean oversizedSent =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Users tried in this order for each operation: the first that is allowed to call it fuzzes it. */
    private final List<String[]> users;
    private final Set<String> documented;
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    /** Bad values put in place of each string of a well-formed body, one at a time. */
    static final List<String> FIELD_VALUES = List.of("\u0000", "a\u0000b", "\u0001", "x".repeat(100_000), "", " ");

    /** Well-formed bodies per operation ("POST /api/v1/events"), whose string fields are replaced one at a time. */
    private final Map<String, List<String>> templates;
    private final java.util.concurrent.atomic.AtomicInteger accepted =
            new java.util.concurrent.atomic.AtomicInteger();

    public ApiFuzzer(List<String[]> users) {
        this(users, Map.of());
    }

    public ApiFuzzer(List<String[]> users, Map<String, List<String>> templates) {
        this.users = users;
        this.templates = templates;
        this.documented = documentedProblemTypes();
    }

    /** Requests with a mutated well-formed body that the service accepted (2xx). */
    public int accepted() {
        return accepted.get();
    }

    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public int requests() {
        return requests.get();
    }

    public Set<String> documented() {
        return documented;
    }

    /** Fuzzes every operation of the OpenAPI document at {@code /q/openapi}; returns the number of operations. */
    @SuppressWarnings("unchecked")
    public int run() {
        Map<String, Object> paths = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath()
                .getMap("paths");
        int operations = 0;
        // The operations are fuzzed two at a time (the service answers one while the next request is built and
        // checked): the same requests; on two cores the evacuation-service's fuzz took 60 s instead of 75 s (three at
        // a time: 65 s).
        List<Runnable> work = new ArrayList<>();
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            for (Map.Entry<String, Object> op : ((Map<String, Object>) path.getValue()).entrySet()) {
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                operations++;
                Map<String, Object> operation = (Map<String, Object>) op.getValue();
                List<Map<String, Object>> params = (List<Map<String, Object>>) operation.getOrDefault("parameters",
                        List.of());
                Map<String, Object> body = (Map<String, Object>) operation.get("requestBody");
                String mediaType = body == null ? null : ((Map<String, Object>) body.getOrDefault("content",
                        Map.of("application/json", Map.of()))).keySet().stream().findFirst().orElse("application/json");
                work.add(() -> fuzz(method, path.getKey(), params, mediaType));
            }
            work.add(() -> methodNotAllowed(path.getKey(), ((Map<String, Object>) path.getValue()).keySet()));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            work.forEach(w -> done.add(pool.submit(w)));
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the fuzz itself failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return operations;
    }

    /**
     * Every method the path does not serve: a 405 problem (with a body the README's list covers), as the operator,
     * who may call anything, so that the answer is about the method and not about a role.
     */
    private void methodNotAllowed(String template, Set<String> served) {
        String uri = template.replaceAll("\\{[^}]+}", "fuzz-1");
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
            if (served.contains(method.toLowerCase())) {
                continue;
            }
            Response r = send(method, uri, users.get(0), method.equals("GET") || method.equals("DELETE") ? null
                    : bytes("{}"), "application/json");
            check(method, uri, "a method the path does not serve", r);
            if (r.statusCode() != 405) {
                failures.add(method + " " + abbreviate(uri) + " (a method the path does not serve): "
                        + r.statusCode() + ", not 405");
            }
        }
    }

    private void fuzz(String method, String template, List<Map<String, Object>> params, String mediaType) {
        boolean hasBody = mediaType != null;
        boolean json = hasBody && mediaType.contains("json");
        byte[] emptyBody = hasBody ? bytes(json ? "{}" : "x") : null;
        String type = hasBody ? mediaType : "application/json";
        String baseline = uri(template, params, null, null);
        String[] user = users.get(users.size() - 1);
        for (String[] u : users) {
            int status = send(method, baseline, u, emptyBody, type).statusCode();
            if (status != 401 && status != 403) {
                user = u;
                break;
            }
        }
        for (Map<String, Object> p : params) {
            String name = (String) p.get("name");
            for (String v : VALUES) {
                String uri = uri(template, params, name, v);
                check(method, uri, name + "=" + shown(v), send(method, uri, user, emptyBody, type));
            }
        }
        Response anonymous = send(method, baseline, null, emptyBody, type);
        check(method, baseline, "no credentials", anonymous);
        if (anonymous.statusCode() != 401) {
            failures.add(method + " " + template + " without credentials: " + anonymous.statusCode() + ", not 401");
        }
        check(method, baseline, "wrong password", send(method, baseline, new String[] {user[0], "wrong"}, emptyBody,
                type));
        for (String[] other : users) {
            check(method, baseline, "as " + other[0], send(method, baseline, other, emptyBody, type));
        }
        if (hasBody) {
            for (byte[] b : BODIES) {
                check(method, baseline, "body " + shown(new String(b, 0, Math.min(b.length, 30),
                        StandardCharsets.UTF_8)), send(method, baseline, user, b, type));
            }
            if (oversizedSent.compareAndSet(false, true)) {
                Response r = send(method, baseline, user, OVERSIZED, type);
                check(method, baseline, "body of 11 MiB", r);
                if (r.statusCode() != 413) {
                    failures.add(method + " " + template + " with a body of 11 MiB: " + r.statusCode() + ", not 413");
                }
            }
            check(method, baseline, "body as application/xml", send(method, baseline, user, bytes("<a/>"),
                    "application/xml"));
            for (String wellFormed : templates.getOrDefault(method + " " + template, List.of())) {
                fuzzFields(method, baseline, user, type, wellFormed);
            }
        }
    }

    /** Each string leaf of the template, replaced by each of {@link #FIELD_VALUES} in turn. */
    private void fuzzFields(String method, String uri, String[] user, String type, String template) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> paths = new ArrayList<>();
        try {
            leaves(mapper.readTree(template), "", paths);
            for (String leaf : paths) {
                for (String v : FIELD_VALUES) {
                    com.fasterxml.jackson.databind.JsonNode body = mapper.readTree(template);
                    replace(body, leaf, v);
                    Response r = send(method, uri, user, mapper.writeValueAsBytes(body), type);
                    if (r.statusCode() < 300) {
                        accepted.incrementAndGet();
                    }
                    check(method, uri, leaf + "=" + shown(v), r);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON template: " + template, e);
        }
    }

    private static void leaves(com.fasterxml.jackson.databind.JsonNode n, String path, List<String> out) {
        if (n.isTextual()) {
            out.add(path);
        }
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(f -> leaves(n.get(f), path + "/" + f, out));
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                leaves(n.get(i), path + "/" + i, out);
            }
        }
    }

    private static void replace(com.fasterxml.jackson.databind.JsonNode root, String path, String value) {
        int cut = path.lastIndexOf('/');
        com.fasterxml.jackson.databind.JsonNode parent = cut == 0 ? root : root.at(path.substring(0, cut));
        String last = path.substring(cut + 1);
        if (parent instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.put(last, value);
        } else if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            a.set(Integer.parseInt(last), com.fasterxml.jackson.databind.node.TextNode.valueOf(value));
        }
    }

    private Response send(String method, String uri, String[] user, byte[] body, String type) {
        requests.incrementAndGet();
        RequestSpecification spec = given().urlEncodingEnabled(false);
        if (user != null) {
            spec = spec.auth().preemptive().basic(user[0], user[1]);
        }
        if (body != null) {
            spec = spec.contentType(type).body(body);
        }
        long t0 = System.nanoTime();
        Response r = spec.request(method, uri);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String key = method + " " + uri.replaceAll("\\?.*", "").replaceAll("/[^/]{40,}", "/…");
        slowest.merge(key, ms, Math::max);
        return r;
    }

    private final Map<String, Long> slowest = new java.util.concurrent.ConcurrentHashMap<>();

    /** The slowest single answers, for the test's summary line. */
    public String slowest(int n) {
        return slowest.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> e.getKey() + " " + e.getValue() + " ms").collect(java.util.stream.Collectors.joining(", "));
    }

    private void check(String method, String uri, String what, Response r) {
        int status = r.statusCode();
        String where = method + " " + abbreviate(uri) + " (" + what + "): " + status;
        if (status >= 500) {
            failures.add(where + " " + abbreviate(r.asString()));
            return;
        }
        if (status < 400) {
            return;
        }
        String type = r.contentType();
        if (type == null || !type.startsWith("application/problem+json")) {
            failures.add(where + " with content type '" + type + "', not problem+json: " + abbreviate(r.asString()));
            return;
        }
        JsonPath json;
        try {
            json = r.jsonPath();
        } catch (RuntimeException e) {
            failures.add(where + " with a body that is not JSON: " + abbreviate(r.asString()));
            return;
        }
        String problemType = json.getString("type");
        if (problemType == null || !documented.contains(problemType)) {
            failures.add(where + " with a problem type the README does not list: " + problemType);
        }
        if (json.getInt("status") != status) {
            failures.add(where + " but its problem says status " + json.getInt("status"));
        }
    }

    /** The path with every path parameter set ({@code fuzz-1} unless it is {@code target}), and target's value. */
    private static String uri(String template, List<Map<String, Object>> params, String target, String value) {
        String path = template;
        StringBuilder query = new StringBuilder();
        for (Map<String, Object> p : params) {
            String name = (String) p.get("name");
            boolean isTarget = name.equals(target);
            if ("path".equals(p.get("in"))) {
                path = path.replace("{" + name + "}", encode(isTarget ? value : "fuzz-1"));
            } else if (isTarget && "query".equals(p.get("in"))) {
                query.append(query.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value));
            }
        }
        return path + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The problem types listed in the README, as full type URIs. */
    static Set<String> documentedProblemTypes() {
        Path readme = Path.of("..", "README.md");
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + readme.toAbsolutePath(), e);
        }
        int start = text.indexOf("<!-- problem-types -->");
        int end = text.indexOf("<!-- /problem-types -->");
        if (start < 0 || end < start) {
            throw new IllegalStateException("the README has no problem-types list");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String line : text.substring(start, end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = Pattern.compile("`([a-z0-9-]+)`").matcher(line.substring(0, line.indexOf('|', 1)));
            while (m.find()) {
                types.add("urn:lifeboat:problem:" + m.group(1));
            }
        }
        return types;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String shown(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : (v.length() > 24 ? v.substring(0, 24) + "…(" + v.length() + ")" : v).toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return "'" + b + "'";
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
