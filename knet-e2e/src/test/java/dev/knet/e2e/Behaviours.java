package dev.knet.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The behaviours of a conformance file (conformance/&lt;area&gt;/behaviours.yaml): id and upstream title, in file order. */
record Behaviours(List<Behaviour> all) {

    record Behaviour(String id, String title) {
    }

    static Behaviours load(String resource) {
        try (InputStream in = Behaviours.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            JsonNode root = YAMLMapper.builder().build().readTree(in);
            List<Behaviour> out = new ArrayList<>();
            for (JsonNode b : root.get("behaviours")) {
                out.add(new Behaviour(b.get("id").asString(), b.get("title").asString()));
            }
            return new Behaviours(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids with no entry in {@code handled}: a behaviour added to the file must get a test or a reason. */
    List<String> unhandled(Map<String, ?> handled) {
        return all.stream().map(Behaviour::id).filter(id -> !handled.containsKey(id)).toList();
    }
}
