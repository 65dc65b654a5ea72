package dev.knet.proxy.route;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How a Host header and a request target become the matcher's view of a request. */
class RouteRequestTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain host                 | Foo.Example.COM    | /p        | foo.example.com | 80   | /p | {}
            host with port             | foo.example.com:81 | /p?a=1    | foo.example.com | 81   | /p | {a=[1]}
            trailing dot               | foo.example.com.   | /         | foo.example.com | 80   | /  | {}
            IPv6 literal with port     | [::1]:8080         | /x        | [::1]           | 8080 | /x | {}
            IPv6 literal without port  | [::1]              | /x        | [::1]           | 80   | /x | {}
            repeated and encoded query | h                  | /?a=1&a=2&b=x%20y | h       | 80   | /  | {a=[1, 2], b=[x y]}
            """)
    void parses(String name, String hostHeader, String target, String host, int port, String path, String query) {
        RouteRequest request = RouteRequest.of("GET", Scheme.HTTP, hostHeader, target);
        assertThat(request.host()).isEqualTo(host);
        assertThat(request.port()).isEqualTo(port);
        assertThat(request.path()).isEqualTo(path);
        assertThat(request.query().toString()).isEqualTo(query);
    }
}
