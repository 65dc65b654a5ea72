package dev.knet.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BirdConfigTest {

    private static final List<LabNode> NODES = List.of(new LabNode("node-1", "198.18.0.11", 1),
            new LabNode("node-2", "198.18.0.12", 2), new LabNode("node-3", "198.18.0.13", 3));

    @Test
    void fullMeshToEveryOtherNodeAnnouncingOnlyTheOwnPodCidr() {
        String conf = BirdConfig.render(NODES.get(1), "10.244.2.0/24", NODES);

        assertThat(conf).isEqualTo("""
                # knet lab node node-2: generated, do not edit
                router id 198.18.0.12;

                protocol device {
                  scan time 10;
                }

                protocol kernel {
                  scan time 5;
                  ipv4 {
                    import none;
                    export where source = RTS_BGP;
                  };
                }

                protocol static podcidr {
                  ipv4;
                  route 10.244.2.0/24 blackhole;
                }

                template bgp nodes {
                  local 198.18.0.12 as 64512;
                  direct;
                  connect delay time 1;
                  connect retry time 2;
                  error wait time 1, 10;
                  ipv4 {
                    import all;
                    export where proto = "podcidr";
                    next hop self;
                    gateway direct;
                  };
                }

                protocol bgp peer_n1 from nodes {
                  neighbor 198.18.0.11 as 64512;
                }

                protocol bgp peer_n3 from nodes {
                  neighbor 198.18.0.13 as 64512;
                }
                """);
    }
}
