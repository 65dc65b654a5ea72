package dev.knet.cni.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CniResultJsonTest {

    @Test
    void resultUsesSpecFieldNamesAndOmitsAbsentOnes() {
        CniResult r = new CniResult("1.1.0",
                List.of(CniResult.Interface.of("knv1", "02:00:00:00:00:01", null, null),
                        new CniResult.Interface("eth0", "02:00:00:00:00:02", 1450, "/run/netns/knet-a", null, "0000:00:01.0")),
                List.of(new CniResult.Ip("10.244.1.2/24", "10.244.1.1", 0)),
                List.of(CniResult.Route.of("0.0.0.0/0", "10.244.1.1")),
                new CniResult.Dns(List.of("10.96.0.10"), "cluster.local", List.of("default.svc.cluster.local"), null));

        assertThat(CniJson.write(r)).isEqualTo("{\"cniVersion\":\"1.1.0\",\"interfaces\":["
                + "{\"name\":\"knv1\",\"mac\":\"02:00:00:00:00:01\"},"
                + "{\"name\":\"eth0\",\"mac\":\"02:00:00:00:00:02\",\"mtu\":1450,\"sandbox\":\"/run/netns/knet-a\",\"pciID\":\"0000:00:01.0\"}],"
                + "\"ips\":[{\"address\":\"10.244.1.2/24\",\"gateway\":\"10.244.1.1\",\"interface\":0}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.1.1\"}],"
                + "\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"domain\":\"cluster.local\",\"search\":[\"default.svc.cluster.local\"]}}");
        assertThat(CniJson.read(CniJson.write(r), CniResult.class)).isEqualTo(r);
    }

    @Test
    void errorHasTheSpecShape() {
        assertThat(CniJson.write(new CniError("1.0.0", 7, "bad config", null)))
                .isEqualTo("{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"bad config\"}");
    }
}
