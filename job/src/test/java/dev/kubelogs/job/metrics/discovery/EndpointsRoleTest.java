package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Role endpoints' part of a service-backed role: an Endpoints object's service is the one of its namespace and name,
 * and the objects of a service are read back with the role's selectors (fabric8's mock API server in CRUD mode).
 */
class EndpointsRoleTest {
    private final CrudApiServer api = new CrudApiServer();
    private final KubernetesClient client = api.client;
    private final TargetPublisher publisher =
            new TargetPublisher("job", TestTargets.keepAll("job"), new RecordingListener());

    @AfterEach
    void stopApiServer() {
        api.close();
    }

    private static Endpoints endpoints(String ns, String name, String tier) {
        return new EndpointsBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .addToLabels("tier", tier)
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp("10.0.0.1")
                .endAddress()
                .addNewPort()
                .withName("metrics")
                .withPort(9100)
                .endPort()
                .endSubset()
                .build();
    }

    private Endpoints create(Endpoints e) {
        return client.endpoints().resource(e).create();
    }

    @Test
    void anEndpointsObjectBelongsToTheServiceOfItsNamespaceAndName() {
        EndpointsRole role = new EndpointsRole(publisher, client, null, null);

        assertThat(role.serviceKey(endpoints("shop", "web", "front")))
                .isEqualTo(MetaLabels.key("shop", "web"))
                .isNotEqualTo(role.serviceKey(endpoints("other", "web", "front")));
    }

    @Test
    void withoutSelectorsAServicesEndpointsAreReadByName() {
        create(endpoints("shop", "web", "front"));
        create(endpoints("shop", "db", "back"));
        EndpointsRole role = new EndpointsRole(publisher, client, null, null);

        assertThat(role.findByService("shop", "web"))
                .extracting(e -> e.getMetadata().getName())
                .containsExactly("web");
        assertThat(role.findByService("shop", "cache")).isEmpty();
        assertThat(role.findByService("other", "web"))
                .as("same name, other namespace")
                .isEmpty();
    }

    @Test
    void theRolesLabelSelectorAppliesToTheRead() {
        create(endpoints("shop", "web", "front"));
        create(endpoints("shop", "db", "back"));

        assertThat(new EndpointsRole(publisher, client, "tier=front", null).findByService("shop", "web"))
                .extracting(e -> e.getMetadata().getName())
                .containsExactly("web");
        assertThat(new EndpointsRole(publisher, client, "tier=front", null).findByService("shop", "db"))
                .as("the service's endpoints do not match the role's selector")
                .isEmpty();
    }

    @Test
    void theRolesFieldSelectorAppliesToTheRead() {
        create(endpoints("shop", "web", "front"));

        assertThat(new EndpointsRole(publisher, client, null, "metadata.namespace=shop").findByService("shop", "web"))
                .hasSize(1);
        assertThat(new EndpointsRole(publisher, client, null, "metadata.name!=web").findByService("shop", "web"))
                .isEmpty();
    }

    @Test
    void anEndpointsObjectsLabelSetsCarryItsServicesAndAddresses() {
        EndpointsRole role = new EndpointsRole(publisher, client, null, null);

        assertThat(role.labelSets(
                        endpoints("shop", "web", "front"),
                        dev.kubelogs.job.metrics.model.Labels.of("__meta_kubernetes_service_name", "web"),
                        ref -> null))
                .singleElement()
                .satisfies(l -> {
                    assertThat(l.get("__address__")).isEqualTo("10.0.0.1:9100");
                    assertThat(l.get("__meta_kubernetes_endpoints_name")).isEqualTo("web");
                    assertThat(l.get("__meta_kubernetes_namespace")).isEqualTo("shop");
                    assertThat(l.get("__meta_kubernetes_service_name")).isEqualTo("web");
                });
    }
}
