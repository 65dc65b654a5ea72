package dev.knet.dataplane.route;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpRoutesParseTest {

    @Test
    void readsDefaultConnectedGatewayAndOnlinkRoutes() {
        String json = """
                [{"dst":"default","gateway":"169.254.1.1","dev":"eth0","flags":[]},
                 {"dst":"10.0.0.0/24","dev":"dd","protocol":"kernel","scope":"link","prefsrc":"10.0.0.1","flags":[]},
                 {"dst":"10.8.0.0/16","gateway":"10.0.0.7","dev":"dd","flags":["onlink"]},
                 {"dst":"169.254.1.1","dev":"dd","scope":"link","flags":[]},
                 {"type":"blackhole","dst":"10.9.0.0/16","flags":[]}]""";

        assertThat(IpRoutes.parse(json, "0.0.0.0/0")).containsExactly(
                Route.to("default").via("169.254.1.1").dev("eth0"),
                Route.to("10.0.0.0/24").dev("dd").src("10.0.0.1").scope(RouteScope.LINK),
                Route.to("10.8.0.0/16").via("10.0.0.7").dev("dd").asOnlink(),
                Route.to("169.254.1.1/32").dev("dd").scope(RouteScope.LINK));
    }

    @Test
    void commandLinesCarryEveryAttribute() {
        assertThat(IpRoutes.argv("replace", Route.to("10.1.0.0/16").via("10.0.0.1").dev("eth0").src("10.0.0.5")
                .asOnlink())).containsExactly("ip", "route", "replace", "10.1.0.0/16", "via", "10.0.0.1", "dev", "eth0",
                "src", "10.0.0.5", "onlink");
    }
}
