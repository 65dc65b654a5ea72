package dev.knet.proxy.controller;

import dev.knet.proxy.route.IngressClassSelector;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which IngressClasses and GatewayClasses are this controller's.
 *
 * <p>The IngressClass named by the controller's ingressClassName is ours even when no such object
 * exists (so a lab that applies plain manifests naming it works) and even when one exists naming
 * another controller string: the name was given to this controller on purpose. A Gateway is served
 * unless its GatewayClass exists and belongs to another controller; a missing class is accepted for
 * the same reason.
 */
record ClassPolicy(String ingressController, String ingressClassName, String gatewayController) {

    /** The IngressClasses as the route compiler should see them: ours marked with our controller. */
    List<IngressClass> effectiveIngressClasses(List<IngressClass> classes) {
        List<IngressClass> out = new ArrayList<>();
        boolean named = false;
        for (IngressClass c : classes) {
            if (ingressClassName != null && ingressClassName.equals(c.getMetadata().getName())) {
                named = true;
                out.add(new IngressClassBuilder(c).editOrNewSpec().withController(ingressController).endSpec().build());
            } else {
                out.add(c);
            }
        }
        if (ingressClassName != null && !named) {
            out.add(new IngressClassBuilder().withNewMetadata().withName(ingressClassName).endMetadata()
                    .withNewSpec().withController(ingressController).endSpec().build());
        }
        return out;
    }

    /** Whether this controller serves the Ingress (the classes as effectiveIngressClasses returns them). */
    boolean serves(Ingress ingress, List<IngressClass> effectiveClasses) {
        return new IngressClassSelector(ingressController, effectiveClasses).serves(ingress);
    }

    List<Gateway> servedGateways(List<Gateway> gateways, List<GatewayClass> classes) {
        Map<String, String> controllerOf = classes.stream()
                .filter(c -> c.getSpec() != null && c.getSpec().getControllerName() != null)
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getSpec().getControllerName(),
                        (a, b) -> a));
        Function<Gateway, String> className = g -> g.getSpec() == null ? null : g.getSpec().getGatewayClassName();
        return gateways.stream().filter(g -> {
            String controller = controllerOf.get(className.apply(g));
            return controller == null || controller.equals(gatewayController);
        }).toList();
    }
}
