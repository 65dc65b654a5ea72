package dev.knet.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Literal addresses: what parses, to which bytes, and what is refused. */
class IpAddressesTest {

    @Test
    void literalsParseToTheirBytes() {
        record Row(String text, String hex) {
        }
        for (Row row : List.of(new Row("10.96.0.10", "0a60000a"), new Row(" 0.0.0.0 ", "00000000"),
                new Row("255.255.255.255", "ffffffff"), new Row("::1", "00000000000000000000000000000001"))) {
            assertThat(HexFormat.of().formatHex(IpAddresses.parse(row.text()))).as(row.text()).isEqualTo(row.hex());
        }
    }

    @Test
    void malformedLiteralsAreRefused() {
        for (String text : List.of("256.1.1.1", "10.0.0", "10.0.0.1.2", "010.0.0.1", "10.00.0.1", "10..0.1", "1.2.3.4:80",
                "10.0.0.1/24", "a.b.c.d", "", "example.com", "1.2.3.-4")) {
            assertThatThrownBy(() -> IpAddresses.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid IP address");
            assertThat(IpAddresses.isValid(text)).as(text).isFalse();
        }
    }

    @Test
    void aDottedQuadIsReadInPlaceFromARange() {
        byte[] out = new byte[8];
        assertThat(IpAddresses.parseIpv4("x 10.244.1.5 . 8080", 2, 12, out, 4)).isTrue();
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("000000000af40105");
        assertThat(IpAddresses.parseIpv4("10.244.1.5 . 8080", 0, 13, out, 0)).as("the range runs past the address").isFalse();
    }

    @Test
    void formatsV4MappedIpv6AddressesInTheirIpv6Spelling() {
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff0af40105");

        assertThat(IpAddresses.format(mapped)).isEqualTo("::ffff:10.244.1.5");
        assertThat(IpAddresses.format(HexFormat.of().parseHex("20010db8000000000000000000000001"))).isEqualTo("2001:db8::1");
    }
}
