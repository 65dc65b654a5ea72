package dev.knet.dns.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names written after a question "www.example.com" (at offset 12): each row writes names in order
 * and states, per name, how many bytes it took; every name must read back as written.
 */
class NameCompressorTest {

    private record Write(String name, boolean compress, int bytes) {
    }

    private record Row(String name, List<Write> writes) {
    }

    private static Write w(String name, int bytes) {
        return new Write(name, true, bytes);
    }

    static List<Row> rows() {
        return List.of(
                new Row("the question's name is one pointer", List.of(w("www.example.com", 2))),
                new Row("a trailing dot changes nothing", List.of(w("www.example.com.", 2))),
                new Row("a shared suffix: new label, then a pointer", List.of(w("mail.example.com", 5 + 2))),
                new Row("the top label alone", List.of(w("com", 2))),
                new Row("case differs: not compressed against (answers echo the spelling)", List.of(w("WWW.example.com", 4 + 2))),
                new Row("later names point at labels written earlier", List.of(w("a.b.c", 2 + 2 + 2 + 1), w("x.b.c", 2 + 2))),
                new Row("an uncompressed name is written whole but still a target",
                        List.of(new Write("srv.example.org", false, 4 + 8 + 4 + 1), w("srv.example.org", 2))),
                new Row("nothing in common: written whole", List.of(w("cluster.local", 8 + 6 + 1))),
                new Row("the root", List.of(w("", 1))));
    }

    private static final byte[] QUESTION = {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};

    @TestFactory
    Stream<DynamicTest> compression() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            ByteBuf out = Unpooled.buffer();
            try {
                out.writeZero(QueryDecoder.HEADER);
                out.writeBytes(QUESTION);
                NameCompressor names = new NameCompressor(0);
                names.registerQuestion(QUESTION, QueryDecoder.HEADER);
                List<Integer> starts = new ArrayList<>();
                for (Write write : row.writes()) {
                    int start = out.writerIndex();
                    starts.add(start);
                    names.writeName(out, write.name(), write.compress());
                    assertThat(out.writerIndex() - start).as(write.name() + " bytes").isEqualTo(write.bytes());
                }
                WireCursor cursor = new WireCursor(out, 0, out.writerIndex());
                for (int i = 0; i < row.writes().size(); i++) {
                    cursor.pos = starts.get(i);
                    String want = row.writes().get(i).name();
                    assertThat(cursor.readName().text()).isEqualTo(want.endsWith(".") ? want.substring(0, want.length() - 1) : want);
                }
            } finally {
                out.release();
            }
        }));
    }
}
