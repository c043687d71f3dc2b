package io.oneuihub.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * No Docker engine runs where the tests run, so the stack in docker-compose.yml is checked by reading it: every
 * wire between the hub, its database, LiteLLM, LiteLLM's database and Keycloak must name a real service, the port
 * that service listens on, and the same value at both ends. A miswired stack starts anyway and fails later (tokens
 * refused with 401, a sync that cannot reach LiteLLM, a container that stays "unhealthy"); these checks say which
 * wire it is.
 *
 * <p>Compose files are read twice: with the values of .env.example (what a new user gets after
 * {@code cp .env.example .env}) and with every variable overridden, so a wire whose ends take their value from
 * different places (one from a variable, one written out) is found even while the defaults happen to agree.
 */
class ComposeWiringTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String HUB = "hub";
    private static final String HUB_DB = "hub-db";
    private static final String LITELLM = "litellm";
    private static final String LITELLM_DB = "litellm-db";
    private static final String KEYCLOAK = "keycloak";

    /** The Keycloak accounts the README's curl examples use. */
    private static final String ADMIN_ACCOUNT = "admin";
    private static final String PLAIN_ACCOUNT = "user";

    /** Keycloak's realm import directory in its image; {@code --import-realm} reads the JSON files there. */
    private static final String KEYCLOAK_IMPORT_DIR = "/opt/keycloak/data/import";
    /** Keycloak's defaults (KC_HTTP_PORT, KC_HTTP_MANAGEMENT_PORT): HTTP, and health on the management port. */
    private static final int KEYCLOAK_HTTP_PORT = 8080;
    private static final int KEYCLOAK_MANAGEMENT_PORT = 9000;
    /**
     * Where Keycloak's built-in "roles" client scope puts realm roles. A realm file that declares no client scopes
     * gets the built-in ones, this among them.
     */
    private static final String KEYCLOAK_REALM_ROLES_CLAIM = "realm_access.roles";
    private static final int POSTGRES_PORT = 5432;
    private static final int HUB_DEFAULT_PORT = 8080;
    /** spring-boot-maven-plugin's default layers, in the order they should become image layers. */
    private static final List<String> BOOT_LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    private static final String PRODUCTION_MAIN = "io.oneuihub.OneUiHubApplication";
    private static final Pattern KEY_SHAPED = Pattern.compile("sk-[A-Za-z0-9]{16,}");

    // ---------------------------------------------------------------------------------------------------------
    // The hub's own settings

    @Test
    void everyNameSetOnTheHubIsOneTheHubReadsAndTheReadmeDocuments() {
        Problems problems = new Problems();
        Set<String> read = namesTheHubReads();
        Set<String> documented = readmeConfigurationNames();
        Set<String> set = Stack.asCopied().service(HUB).environment().keySet();
        for (String name : set) {
            problems.unless(read.contains(name), "hub: " + name + " is set in docker-compose.yml, but the hub never "
                    + "reads it (no ${" + name + "} in src/main/resources/application.yml and no spring.* property of "
                    + "that relaxed name there): a typo, or a setting that does nothing");
            problems.unless(documented.contains(name), "hub: " + name + " is set in docker-compose.yml but missing "
                    + "from README.md's configuration table (section \"## Configuration\")");
        }
        problems.unless(!set.isEmpty(), "hub: docker-compose.yml sets no environment on the hub service");
        problems.assertNone();
    }

    @Test
    void theHubsDatabaseUrlAndCredentialsAreHubDbs() {
        Problems problems = new Problems();
        for (Stack stack : Stack.both()) {
            Service hub = stack.service(HUB);
            String url = problems.required(hub, "SPRING_R2DBC_URL", stack);
            if (url == null) {
                continue;
            }
            if (!url.startsWith("r2dbc:postgresql://")) {
                problems.add(stack + "hub: SPRING_R2DBC_URL is " + url + ", not an r2dbc:postgresql:// URL");
                continue;
            }
            URI uri = URI.create(url.substring("r2dbc:".length()));
            Service db = problems.postgresService(stack, uri.getHost(), "hub: SPRING_R2DBC_URL (" + url + ")");
            if (db == null) {
                continue;
            }
            problems.samePort(stack + "hub: SPRING_R2DBC_URL (" + url + ")", uri, POSTGRES_PORT, db.postgresPort(),
                    "PostgreSQL in " + db.name());
            String database = uri.getPath().replaceFirst("^/", "");
            problems.same(stack + "hub: the database in SPRING_R2DBC_URL", database,
                    db.name() + "'s POSTGRES_DB", db.postgresDatabase());
            problems.same(stack + "hub: SPRING_R2DBC_USERNAME", hub.environment().get("SPRING_R2DBC_USERNAME"),
                    db.name() + "'s POSTGRES_USER", db.environment().get("POSTGRES_USER"));
            problems.same(stack + "hub: SPRING_R2DBC_PASSWORD", hub.environment().get("SPRING_R2DBC_PASSWORD"),
                    db.name() + "'s POSTGRES_PASSWORD", db.environment().get("POSTGRES_PASSWORD"));
            String litellmDatabaseUrl = stack.service(LITELLM).environment().get("DATABASE_URL");
            if (litellmDatabaseUrl != null && Objects.equals(URI.create(litellmDatabaseUrl).getHost(), db.name())) {
                problems.add(stack + "hub: SPRING_R2DBC_URL and LiteLLM's DATABASE_URL both point at " + db.name()
                        + ": the hub and LiteLLM each need their own PostgreSQL");
            }
        }
        problems.assertNone();
    }

    @Test
    void theHubReachesLiteLlmWhereItListensWithItsMasterKey() {
        Problems problems = new Problems();
        for (Stack stack : Stack.both()) {
            Service hub = stack.service(HUB);
            String url = problems.required(hub, "LITELLM_BASE_URL", stack);
            if (url != null) {
                URI uri = URI.create(url);
                Service target = stack.services().get(uri.getHost());
                if (target == null || !target.image().contains("berriai/litellm")) {
                    problems.add(stack + "hub: LITELLM_BASE_URL (" + url + ") names host " + uri.getHost()
                            + ", which is not the LiteLLM service (" + LITELLM + ", image "
                            + stack.service(LITELLM).image() + ")");
                } else {
                    String listens = target.flag("--port");
                    if (listens == null) {
                        problems.add(stack + target.name() + ": its command " + target.command()
                                + " has no --port, so the port LiteLLM listens on is not stated");
                    } else {
                        problems.samePort(stack + "hub: LITELLM_BASE_URL (" + url + ")", uri, 80,
                                Integer.parseInt(listens), target.name() + "'s --port");
                    }
                }
            }
            String hubKey = problems.required(hub, "LITELLM_MASTER_KEY", stack);
            String proxyKey = stack.service(LITELLM).environment().get("LITELLM_MASTER_KEY");
            if (hubKey != null) {
                problems.same(stack + "hub: LITELLM_MASTER_KEY", hubKey, "litellm's LITELLM_MASTER_KEY", proxyKey);
            }
        }
        problems.assertNone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Keycloak: the hub must accept the tokens its realm issues

    @Test
    void theHubFetchesKeycloaksKeysAndChecksTheIssuerItsTokensCarry() {
        Problems problems = new Problems();
        for (Stack stack : Stack.both()) {
            Service hub = stack.service(HUB);
            Service keycloak = stack.service(KEYCLOAK);
            String issuerUri = hub.environment().get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI");
            problems.unless(issuerUri == null || issuerUri.isBlank(), stack + "hub: "
                    + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI is " + issuerUri + ": the hub would fetch "
                    + "that issuer's discovery document from inside its container, where the public Keycloak URL "
                    + "is not Keycloak; configure the JWK set URI (compose network) and HUB_SECURITY_ISSUER instead");
            String realm = realmFile().map(r -> str(r.get("realm"))).orElse(null);
            String jwks = problems.required(hub, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI", stack);
            if (jwks != null) {
                URI uri = URI.create(jwks);
                problems.unless(KEYCLOAK.equals(uri.getHost()) && keycloak.image().contains("keycloak"), stack
                        + "hub: the JWK set URI (" + jwks + ") names host " + uri.getHost() + ", not the Keycloak "
                        + "service " + KEYCLOAK + " (image " + keycloak.image() + ")");
                problems.samePort(stack + "hub: the JWK set URI (" + jwks + ")", uri, 80, keycloak.keycloakHttpPort(),
                        "Keycloak's HTTP port");
                String expectedPath = "/realms/" + realm + "/protocol/openid-connect/certs";
                problems.unless(expectedPath.equals(uri.getPath()), stack + "hub: the JWK set URI's path is "
                        + uri.getPath() + ", but the keys of the realm in " + relative(realmFilePath()) + " are at "
                        + expectedPath);
            }
            String hostname = keycloak.environment().get("KC_HOSTNAME");
            String issuer = problems.required(hub, "HUB_SECURITY_ISSUER", stack);
            if (hostname == null || hostname.isBlank()) {
                problems.add(stack + "keycloak: KC_HOSTNAME is not set, so the iss of a token depends on the URL it "
                        + "was requested at and cannot be checked by the hub");
            } else if (issuer != null) {
                String expected = hostname.replaceFirst("/+$", "") + "/realms/" + realm;
                problems.unless(expected.equals(issuer), stack + "hub: HUB_SECURITY_ISSUER is " + issuer
                        + ", but Keycloak (KC_HOSTNAME " + hostname + ", realm " + realm + ") issues tokens with iss "
                        + expected + ": every token would be refused with 401");
                URI publicUrl = URI.create(hostname);
                if ("localhost".equals(publicUrl.getHost()) || "127.0.0.1".equals(publicUrl.getHost())) {
                    int port = publicUrl.getPort() == -1 ? 80 : publicUrl.getPort();
                    Set<Integer> published = keycloak.publishedPorts(keycloak.keycloakHttpPort());
                    problems.unless(published.contains(port), stack + "keycloak: KC_HOSTNAME is " + hostname
                            + ", but Keycloak's HTTP port is published on host port(s) " + published
                            + ": curl and browsers would not reach the URL the tokens name");
                }
            }
        }
        problems.assertNone();
    }

    @Test
    void keycloakImportsTheRealmWithTheRolesUsersAndClientTheHubExpects() {
        Problems problems = new Problems();
        Stack stack = Stack.asCopied();
        Service hub = stack.service(HUB);
        Service keycloak = stack.service(KEYCLOAK);
        List<String> missing = Stream.of("start-dev", "--import-realm")
                .filter(word -> !keycloak.command().contains(word)).toList();
        problems.unless(missing.isEmpty(), "keycloak: its command " + keycloak.command() + " lacks " + missing
                + ": it must run in dev mode and import the realm file");
        Path importDir = keycloak.hostPathMountedAt(KEYCLOAK_IMPORT_DIR);
        problems.unless(importDir != null && importDir.equals(realmFilePath().getParent()), "keycloak: "
                + relative(realmFilePath().getParent()) + " must be mounted at " + KEYCLOAK_IMPORT_DIR + ", but the "
                + "volumes are " + keycloak.raw.get("volumes"));
        Map<String, Object> realm = realmFile().orElse(null);
        if (realm == null) {
            problems.add("keycloak: " + relative(realmFilePath()) + " is missing");
            problems.assertNone();
            return;
        }
        String where = relative(realmFilePath()) + ": ";
        problems.unless(Boolean.TRUE.equals(realm.get("enabled")), where + "the realm is not enabled");

        String adminRole = hub.environment().getOrDefault("HUB_SECURITY_ADMIN_ROLE", "admin");
        List<String> roles = list(map(realm.get("roles")).get("realm")).stream().map(r -> str(map(r).get("name")))
                .toList();
        problems.unless(roles.stream().anyMatch(adminRole::equalsIgnoreCase), where + "realm roles " + roles
                + " lack the hub's HUB_SECURITY_ADMIN_ROLE (" + adminRole + ")");

        Map<String, Map<String, Object>> users = new LinkedHashMap<>();
        list(realm.get("users")).forEach(u -> users.put(str(map(u).get("username")), map(u)));
        for (String account : List.of(ADMIN_ACCOUNT, PLAIN_ACCOUNT)) {
            problems.unless(users.containsKey(account), where + "no user " + account + " (users: " + users.keySet()
                    + ")");
        }
        users.forEach((name, user) -> {
            boolean isAdmin = list(user.get("realmRoles")).stream().anyMatch(r -> adminRole.equalsIgnoreCase(str(r)));
            if (ADMIN_ACCOUNT.equals(name)) {
                problems.unless(isAdmin, where + "user " + name + " lacks the realm role " + adminRole
                        + " (HUB_SECURITY_ADMIN_ROLE): its token would not make it an admin");
            }
            if (PLAIN_ACCOUNT.equals(name)) {
                problems.unless(!isAdmin, where + "user " + name + " has the realm role " + adminRole
                        + ": the plain account would be an admin");
            }
            problems.unless(Boolean.TRUE.equals(user.get("enabled")), where + "user " + name + " is not enabled");
            // Keycloak's default user profile requires these; a password grant for a user lacking one fails with
            // "Account is not fully set up", as does one whose password is temporary or who has required actions.
            for (String attribute : List.of("email", "firstName", "lastName")) {
                problems.unless(!isBlank(user.get(attribute)), where + "user " + name + " has no " + attribute
                        + ": Keycloak refuses its password grant (\"Account is not fully set up\")");
            }
            problems.unless(list(user.get("requiredActions")).isEmpty(), where + "user " + name
                    + " has required actions " + user.get("requiredActions") + ": its password grant is refused");
            List<Map<String, Object>> passwords = list(user.get("credentials")).stream().map(ComposeWiringTest::map)
                    .filter(c -> "password".equals(c.get("type"))).toList();
            problems.unless(passwords.size() == 1, where + "user " + name + " needs exactly one password credential");
            for (Map<String, Object> password : passwords) {
                problems.unless(Boolean.FALSE.equals(password.get("temporary")), where + "user " + name
                        + "'s password is not \"temporary\": false (imported passwords are temporary by default, "
                        + "and a temporary one refuses the password grant)");
                problems.unless(str(password.get("value")).contains("change-me"), where + "user " + name
                        + "'s password does not say change-me: development passwords must be marked as such");
            }
        });

        String audience = hub.environment().get("HUB_SECURITY_AUDIENCE");
        List<Map<String, Object>> clients = list(realm.get("clients")).stream().map(ComposeWiringTest::map)
                .filter(c -> mappers(c, "oidc-audience-mapper").stream().anyMatch(m ->
                        Objects.equals(audience, str(map(m.get("config")).get("included.custom.audience")))
                                && "true".equals(str(map(m.get("config")).get("access.token.claim")))))
                .toList();
        if (clients.size() != 1) {
            problems.add(where + (clients.isEmpty() ? "no client" : clients.size() + " clients")
                    + " with an oidc-audience-mapper putting HUB_SECURITY_AUDIENCE (" + audience + ") into the "
                    + "access token's aud; the hub refuses tokens without it");
        } else {
            Map<String, Object> client = clients.get(0);
            String id = "client " + client.get("clientId");
            problems.unless(!Boolean.FALSE.equals(client.get("enabled")), where + id + " is disabled");
            problems.unless(Boolean.TRUE.equals(client.get("publicClient")), where + id
                    + " is not public: curl and GraphiQL users would need its secret");
            problems.unless(Boolean.TRUE.equals(client.get("directAccessGrantsEnabled")), where + id
                    + " has no direct access grants: the README's curl password grant fails");
            problems.unless(Boolean.TRUE.equals(client.get("standardFlowEnabled")), where + id
                    + " has no standard flow: a browser cannot sign in");
            String hubUrl = "http://localhost:" + hub.publishedPorts(hub.hubPort()).stream().findFirst().orElse(-1)
                    + "/";
            List<String> redirects = list(client.get("redirectUris")).stream().map(ComposeWiringTest::str).toList();
            problems.unless(redirects.stream().anyMatch(r -> r.endsWith("*") && hubUrl.startsWith(
                    r.substring(0, r.length() - 1)) || r.startsWith(hubUrl)), where + id + "'s redirect URIs "
                    + redirects + " do not cover the hub at " + hubUrl);

            // Which claims realm roles reach in this client's access token.
            List<String> defaultScopes = client.containsKey("defaultClientScopes")
                    ? list(client.get("defaultClientScopes")).stream().map(ComposeWiringTest::str).toList()
                    : null;
            Set<String> roleClaims = new LinkedHashSet<>();
            mappers(client, "oidc-usermodel-realm-role-mapper")
                    .forEach(m -> roleClaims.add(str(map(m.get("config")).get("claim.name"))));
            if (realm.containsKey("clientScopes")) {
                for (Object scope : list(realm.get("clientScopes"))) {
                    if (defaultScopes == null || defaultScopes.contains(str(map(scope).get("name")))) {
                        mappers(map(scope), "oidc-usermodel-realm-role-mapper")
                                .forEach(m -> roleClaims.add(str(map(m.get("config")).get("claim.name"))));
                    }
                }
            } else if (defaultScopes == null || defaultScopes.contains("roles")) {
                roleClaims.add(KEYCLOAK_REALM_ROLES_CLAIM);
            }
            String rolesClaim = hub.environment().getOrDefault("HUB_SECURITY_ROLES_CLAIM", "roles");
            problems.unless(roleClaims.contains(rolesClaim), where + "the hub reads roles from "
                    + "HUB_SECURITY_ROLES_CLAIM=" + rolesClaim + ", but " + id + "'s tokens carry realm roles in "
                    + (roleClaims.isEmpty() ? "no claim (its default client scopes " + defaultScopes
                    + " lack \"roles\")" : roleClaims) + ": nobody would be an admin");
            problems.unless(defaultScopes == null || defaultScopes.contains("basic"), where + id
                    + "'s default client scopes " + defaultScopes + " lack \"basic\", which gives tokens their sub");
        }
        problems.assertNone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // LiteLLM

    @Test
    void liteLlmStoresModelsInItsOwnDatabase() {
        Problems problems = new Problems();
        for (Stack stack : Stack.both()) {
            Service litellm = stack.service(LITELLM);
            String url = problems.required(litellm, "DATABASE_URL", stack);
            if (url != null) {
                URI uri = URI.create(url);
                Service db = problems.postgresService(stack, uri.getHost(), "litellm: DATABASE_URL (" + url + ")");
                if (db != null) {
                    problems.unless(LITELLM_DB.equals(db.name()), stack + "litellm: DATABASE_URL points at "
                            + db.name() + ", not at LiteLLM's own " + LITELLM_DB);
                    problems.samePort(stack + "litellm: DATABASE_URL (" + url + ")", uri, POSTGRES_PORT,
                            db.postgresPort(), "PostgreSQL in " + db.name());
                    String userInfo = Objects.toString(uri.getRawUserInfo(), "");
                    String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo;
                    String password = userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : null;
                    problems.same(stack + "litellm: the user in DATABASE_URL", user, db.name() + "'s POSTGRES_USER",
                            db.environment().get("POSTGRES_USER"));
                    problems.same(stack + "litellm: the password in DATABASE_URL", password,
                            db.name() + "'s POSTGRES_PASSWORD", db.environment().get("POSTGRES_PASSWORD"));
                    problems.same(stack + "litellm: the database in DATABASE_URL", uri.getPath().replaceFirst("^/", ""),
                            db.name() + "'s POSTGRES_DB", db.postgresDatabase());
                }
            }
        }
        Service litellm = Stack.asCopied().service(LITELLM);
        Object store = litellm.rawEnvironment().get("STORE_MODEL_IN_DB");
        problems.unless("True".equals(store), "litellm: STORE_MODEL_IN_DB is " + describe(store) + ", not the string "
                + "\"True\" (quoted: an unquoted YAML boolean is not passed as True); without it LiteLLM refuses the "
                + "hub's model writes");
        for (String key : List.of("LITELLM_MASTER_KEY", "LITELLM_SALT_KEY")) {
            String raw = str(litellm.rawEnvironment().get(key));
            problems.unless(raw != null && raw.matches("\\$\\{" + key + ":\\?.+}"), "litellm: " + key + " is "
                    + describe(raw) + ", not ${" + key + ":?message}: it must come from .env, and compose must refuse "
                    + "to start without it");
        }
        problems.assertNone();
    }

    @Test
    void liteLlmLoadsTheMountedConfigFileWithItsModels() {
        Problems problems = new Problems();
        Service litellm = Stack.asCopied().service(LITELLM);
        String configPath = litellm.flag("--config");
        if (configPath == null) {
            problems.add("litellm: its command " + litellm.command() + " has no --config, so no config file is read");
            problems.assertNone();
            return;
        }
        Path config = litellm.hostPathMountedAt(configPath);
        if (config == null || !Files.isRegularFile(config)) {
            problems.add("litellm: --config " + configPath + " is not a file mounted from this repository (volumes: "
                    + litellm.raw.get("volumes") + (config == null ? "" : "; " + relative(config) + " is missing")
                    + ")");
            problems.assertNone();
            return;
        }
        Map<String, Object> yaml = map(new Yaml().load(read(config)));
        List<Map<String, Object>> models = list(yaml.get("model_list")).stream().map(ComposeWiringTest::map).toList();
        problems.unless(models.size() >= 2, relative(config) + ": model_list has " + models.size() + " entries; "
                + "at least two config-file models are needed beside the DB-stored ones");
        Set<String> ids = new TreeSet<>();
        for (Map<String, Object> model : models) {
            problems.unless(!isBlank(model.get("model_name")) && !isBlank(map(model.get("litellm_params")).get("model")),
                    relative(config) + ": the model_list entry " + model + " lacks model_name or litellm_params.model");
            Object id = map(model.get("model_info")).get("id");
            problems.unless(id == null || ids.add(str(id)), relative(config) + ": model_info.id " + id + " is used "
                    + "twice: LiteLLM would show one deployment");
        }
        Set<String> passed = litellm.environment().keySet();
        for (String name : environmentReferences(yaml)) {
            problems.unless(passed.contains(name), relative(config) + " reads os.environ/" + name + ", but "
                    + "docker-compose.yml does not pass " + name + " into the litellm container");
        }
        problems.unless(!KEY_SHAPED.matcher(read(config)).find(), relative(config) + " holds a key-shaped secret");
        problems.assertNone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start order and health

    @Test
    void everyServiceIsHealthCheckedAndWaitedForUntilHealthy() {
        Problems problems = new Problems();
        Stack stack = Stack.asCopied();
        for (Service service : stack.services().values()) {
            problems.unless(service.healthcheck() != null, service.name() + ": no healthcheck, so nothing can wait "
                    + "for it to be ready");
            Object dependsOn = service.raw.get("depends_on");
            if (dependsOn instanceof List<?> targets) {
                problems.add(service.name() + ": depends_on " + targets + " is a list, which waits only for the "
                        + "containers to start; use the map form with condition: service_healthy");
                continue;
            }
            map(dependsOn).forEach((target, spec) -> {
                Service dependency = stack.services().get(target);
                if (dependency == null) {
                    problems.add(service.name() + ": depends_on " + target + ", which is not a service");
                    return;
                }
                problems.unless("service_healthy".equals(str(map(spec).get("condition"))), service.name()
                        + ": depends_on " + target + " with condition " + map(spec).get("condition")
                        + ", not service_healthy: it may start before " + target + " is ready");
                problems.unless(dependency.healthcheck() != null, service.name() + ": waits for " + target
                        + " to be healthy, but " + target + " has no healthcheck");
            });
        }
        Map<String, List<String>> order = Map.of(HUB, List.of(HUB_DB, LITELLM, KEYCLOAK), LITELLM, List.of(LITELLM_DB));
        order.forEach((service, dependencies) -> {
            Object spec = stack.service(service).raw.get("depends_on");
            Set<String> waitsFor = spec instanceof List<?> names
                    ? names.stream().map(ComposeWiringTest::str).collect(Collectors.toSet())
                    : map(spec).keySet();
            for (String dependency : dependencies) {
                problems.unless(waitsFor.contains(dependency), service + ": does not wait for " + dependency
                        + " (depends_on " + waitsFor + ")");
            }
        });

        Service hub = stack.service(HUB);
        String hubCheck = Objects.toString(hub.healthcheck(), "");
        problems.unless(hubCheck.contains("localhost:" + hub.hubPort() + "/actuator/health/readiness"), "hub: its "
                + "healthcheck (" + hubCheck + ") does not ask localhost:" + hub.hubPort()
                + "/actuator/health/readiness");
        // Neither image ships curl or wget: such a check would keep the container "unhealthy" forever.
        for (String name : List.of(LITELLM, KEYCLOAK)) {
            String check = Objects.toString(stack.service(name).healthcheck(), "");
            problems.unless(!check.matches("(?s).*\\b(curl|wget)\\b.*"), name + ": its healthcheck (" + check
                    + ") runs curl or wget, which its image " + stack.service(name).image() + " does not have");
        }
        String litellmCheck = Objects.toString(stack.service(LITELLM).healthcheck(), "");
        String litellmPort = stack.service(LITELLM).flag("--port");
        problems.unless(litellmCheck.contains("localhost:" + litellmPort + "/health/"), "litellm: its healthcheck ("
                + litellmCheck + ") does not ask LiteLLM's /health/ endpoints on its --port " + litellmPort);
        Service keycloak = stack.service(KEYCLOAK);
        String keycloakCheck = Objects.toString(keycloak.healthcheck(), "none");
        problems.unless(keycloakCheck.contains("/" + KEYCLOAK_MANAGEMENT_PORT) && keycloakCheck.contains("/health/"),
                "keycloak: its healthcheck (" + keycloakCheck + ") does not ask /health/ on the management port "
                        + KEYCLOAK_MANAGEMENT_PORT + ", the only port Keycloak serves health on");
        problems.unless("true".equals(keycloak.environment().get("KC_HEALTH_ENABLED")), "keycloak: KC_HEALTH_ENABLED "
                + "is " + keycloak.environment().get("KC_HEALTH_ENABLED") + ", so /health/ready answers 404");
        problems.assertNone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // .env.example

    @Test
    void envExampleSetsEveryVariableComposeRequiresAndHoldsNoSecret() {
        Problems problems = new Problems();
        Map<String, String> example = envExample();
        String text = read(ROOT.resolve(".env.example"));
        for (Reference reference : composeReferences()) {
            if (reference.required()) {
                problems.unless(example.containsKey(reference.name()), ".env.example: docker-compose.yml needs "
                        + reference.name() + " (" + reference.form() + "), but .env.example does not set it: "
                        + "compose refuses to start after cp .env.example .env");
            } else {
                problems.unless(text.contains(reference.name()), ".env.example: docker-compose.yml reads "
                        + reference.name() + ", which .env.example does not mention (even as a comment)");
            }
        }
        problems.unless(!KEY_SHAPED.matcher(text).find(), ".env.example holds a key-shaped secret (sk- and 16 or "
                + "more letters or digits): placeholders only");
        example.forEach((name, value) -> problems.unless(
                !name.matches(".*(KEY|PASSWORD|SECRET|TOKEN)") || value.isEmpty() || value.contains("change-me"),
                ".env.example: " + name + " has a value that is not a change-me placeholder"));
        problems.assertNone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The image

    @Test
    void theImageStartsTheProductionApplicationAsNonRootAndReportsReadiness() {
        Problems problems = new Problems();
        List<List<Instruction>> stages = dockerfileStages();
        String text = read(ROOT.resolve("Dockerfile"));
        problems.unless(stages.size() >= 2, "Dockerfile: " + stages.size() + " stage(s); the build needs its own "
                + "stage so Maven and the sources stay out of the image");
        List<Instruction> runtime = stages.get(stages.size() - 1);
        List<Instruction> earlier = stages.subList(0, stages.size() - 1).stream().flatMap(List::stream).toList();
        problems.unless(earlier.stream().anyMatch(i -> i.is("RUN") && i.args().contains("mvn")
                        && i.args().contains("-DskipTests") && i.args().contains(" package")),
                "Dockerfile: no build stage runs mvn ... -DskipTests package");
        String base = runtime.get(0).args();
        problems.unless(base.contains("jre"), "Dockerfile: the runtime stage starts FROM " + base + ", not a JRE image");

        Instruction extract = earlier.stream().filter(i -> i.is("RUN") && i.args().contains("-Djarmode=tools"))
                .findFirst().orElse(null);
        if (extract == null || !extract.args().matches("(?s).*extract\\b.*--layers\\b.*")
                || !extract.args().contains("--launcher")) {
            problems.add("Dockerfile: no build-stage RUN extracts the layered jar (java -Djarmode=tools -jar ... "
                    + "extract --layers --launcher --destination ...)");
        } else {
            Matcher destination = Pattern.compile("--destination[ =](\\S+)").matcher(extract.args());
            String dir = destination.find() ? destination.group(1).replaceFirst("/$", "") : null;
            List<String> copied = runtime.stream().filter(i -> i.is("COPY") && i.args().startsWith("--from="))
                    .map(i -> i.args().split("\\s+")[1].replaceFirst("/$", "")).toList();
            List<String> expected = BOOT_LAYERS.stream().map(layer -> dir + "/" + layer).toList();
            problems.unless(copied.equals(expected), "Dockerfile: the runtime stage copies " + copied
                    + ", not the extracted layers one by one in order " + expected);
        }

        List<Instruction> users = runtime.stream().filter(i -> i.is("USER")).toList();
        String user = users.isEmpty() ? "root" : users.get(users.size() - 1).args().split(":")[0].trim();
        problems.unless(!user.equals("root") && !user.equals("0"), "Dockerfile: the runtime stage runs as " + user
                + "; it needs a USER that is not root");

        int hubPort = Stack.asCopied().service(HUB).hubPort();
        List<String> exposed = runtime.stream().filter(i -> i.is("EXPOSE"))
                .flatMap(i -> Stream.of(i.args().split("\\s+"))).map(p -> p.replaceFirst("/tcp$", "")).toList();
        problems.unless(exposed.contains(String.valueOf(hubPort)), "Dockerfile: EXPOSE " + exposed + ", but the hub "
                + "listens on " + hubPort + " (the container port docker-compose.yml publishes)");
        Instruction healthcheck = runtime.stream().filter(i -> i.is("HEALTHCHECK")).findFirst().orElse(null);
        String check = healthcheck == null ? "" : Interpolation.apply(healthcheck.args(), Map.of());
        problems.unless(check.contains("localhost:" + hubPort + "/actuator/health/readiness"), "Dockerfile: "
                + "HEALTHCHECK (" + check + ") does not ask localhost:" + hubPort + "/actuator/health/readiness");
        // eclipse-temurin's Ubuntu images install curl and wget; its Alpine and UBI ones do not have both
        problems.unless(!check.matches("(?s).*\\b(curl|wget)\\b.*")
                        || base.startsWith("eclipse-temurin:") && !base.contains("alpine") && !base.contains("ubi"),
                "Dockerfile: HEALTHCHECK runs curl or wget, which the runtime image " + base + " may lack");

        Instruction entrypoint = runtime.stream().filter(i -> i.is("ENTRYPOINT")).reduce((a, b) -> b).orElse(null);
        List<String> command = entrypoint == null || !entrypoint.args().startsWith("[") ? List.of()
                : list(JSON.readValue(entrypoint.args(), List.class)).stream().map(ComposeWiringTest::str).toList();
        problems.unless(!command.isEmpty() && command.get(0).equals("java"), "Dockerfile: ENTRYPOINT ("
                + (entrypoint == null ? "none" : entrypoint.args()) + ") is not an exec-form java command, so the "
                + "JVM would not receive SIGTERM directly");
        problems.unless(command.contains(JAR_LAUNCHER), "Dockerfile: ENTRYPOINT " + command + " does not start "
                + JAR_LAUNCHER + ", which runs the extracted jar's Start-Class");
        problems.unless(command.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), "Dockerfile: "
                + "ENTRYPOINT " + command + " has no -XX:MaxRAMPercentage: the heap ignores the container's memory");
        problems.unless(command.contains("-XX:+ExitOnOutOfMemoryError"), "Dockerfile: ENTRYPOINT " + command
                + " has no -XX:+ExitOnOutOfMemoryError: an out-of-memory hub stays up half-broken");
        problems.unless(!text.contains("io.oneuihub.dev") && !text.contains("TestOneUiHubApplication"), "Dockerfile "
                + "names the test launcher (io.oneuihub.dev): the image must start the production application");
        // The launcher runs the jar's Start-Class, which the repackage execution sets.
        String pom = read(ROOT.resolve("pom.xml"));
        Matcher repackage = Pattern.compile("(?s)<execution>\\s*<id>repackage</id>(.*?)</execution>").matcher(pom);
        String startClass = null;
        if (repackage.find()) {
            Matcher mainClass = Pattern.compile("<mainClass>\\s*([^<\\s]+)\\s*</mainClass>").matcher(repackage.group(1));
            startClass = mainClass.find() ? mainClass.group(1) : null;
        }
        problems.unless(PRODUCTION_MAIN.equals(startClass), "pom.xml: the repackage execution's mainClass (the jar's "
                + "Start-Class, which the image's JarLauncher starts) is " + startClass + ", not " + PRODUCTION_MAIN);
        problems.assertNone();
    }

    @Test
    void theBuildContextHoldsWhatTheDockerfileCopiesAndNothingSecret() {
        Problems problems = new Problems();
        List<String> patterns = read(ROOT.resolve(".dockerignore")).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String excluded : List.of("target/app.jar", ".git/HEAD", ".env", ".idea/workspace.xml")) {
            problems.unless(DockerIgnore.excludes(patterns, excluded), ".dockerignore: " + excluded
                    + " would be sent into the build context");
        }
        List<String> sources = dockerfileStages().get(0).stream().filter(i -> i.is("COPY") && !i.args().startsWith("--"))
                .map(i -> i.args().split("\\s+")).map(parts -> parts[0]).toList();
        problems.unless(!sources.isEmpty(), "Dockerfile: the build stage copies nothing from the build context");
        for (String source : sources) {
            List<String> paths = new ArrayList<>(List.of(source));
            if (Files.isDirectory(ROOT.resolve(source))) {
                try (Stream<Path> files = Files.walk(ROOT.resolve(source))) {
                    files.filter(Files::isRegularFile).limit(1)
                            .forEach(f -> paths.add(ROOT.relativize(f).toString().replace('\\', '/')));
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (String path : paths) {
                problems.unless(!DockerIgnore.excludes(patterns, path), ".dockerignore excludes " + path
                        + ", which the Dockerfile copies (COPY " + source + ")");
            }
        }
        problems.assertNone();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the hub reads and the README documents

    /** ${NAME} placeholders in application.yml, plus the relaxed environment names of its spring.* properties. */
    static Set<String> namesTheHubReads() {
        String text = read(ROOT.resolve("src/main/resources/application.yml"));
        Set<String> names = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(text);
        while (placeholder.find()) {
            names.add(placeholder.group(1));
        }
        for (Object document : new Yaml().loadAll(text)) {
            Object spring = map(document).get("spring");
            if (spring != null) {
                relaxedNames("spring", spring, names);
            }
        }
        return names;
    }

    private static void relaxedNames(String prefix, Object node, Set<String> names) {
        if (node instanceof Map<?, ?> children) {
            children.forEach((key, child) -> relaxedNames(prefix + "." + key, child, names));
        } else {
            names.add(prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
    }

    static Set<String> readmeConfigurationNames() {
        List<String> lines = read(ROOT.resolve("README.md")).lines().toList();
        int start = lines.indexOf("## Configuration");
        if (start < 0) {
            fail("README.md has no \"## Configuration\" section with the configuration table");
        }
        Set<String> names = new TreeSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("|")) {
                Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]*)`").matcher(line.split("\\|")[1]);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading docker-compose.yml

    /** docker-compose.yml read with one set of variables. */
    record Stack(String label, Map<String, Object> raw, Map<String, String> variables) {

        /** As after {@code cp .env.example .env}. */
        static Stack asCopied() {
            return new Stack("", compose(), envExample());
        }

        /** Every variable set to a value of its own, so both ends of a wire must take it from the same place. */
        static Stack overridden() {
            Map<String, String> values = new LinkedHashMap<>();
            composeReferences().forEach(r -> values.put(r.name(),
                    "v-" + r.name().toLowerCase(Locale.ROOT).replace('_', '-')));
            return new Stack("[every variable overridden] ", compose(), values);
        }

        static List<Stack> both() {
            return List.of(asCopied(), overridden());
        }

        Map<String, Service> services() {
            Map<String, Service> services = new LinkedHashMap<>();
            map(raw.get("services")).forEach((name, spec) -> services.put(name, new Service(name, map(spec), this)));
            return services;
        }

        Service service(String name) {
            Service service = services().get(name);
            if (service == null) {
                fail("docker-compose.yml has no service " + name + " (services: " + services().keySet() + ")");
            }
            return service;
        }

        String interpolate(Object value) {
            return value == null ? null : Interpolation.apply(String.valueOf(value), variables);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One service of docker-compose.yml, its strings interpolated with the stack's variables. */
    record Service(String name, Map<String, Object> raw, Stack stack) {

        String image() {
            return Objects.toString(stack.interpolate(raw.get("image")), "(built)");
        }

        Map<String, Object> rawEnvironment() {
            Map<String, Object> environment = new LinkedHashMap<>();
            Object spec = raw.get("environment");
            if (spec instanceof List<?> entries) {
                for (Object entry : entries) {
                    String text = String.valueOf(entry);
                    int equals = text.indexOf('=');
                    environment.put(equals < 0 ? text : text.substring(0, equals),
                            equals < 0 ? null : text.substring(equals + 1));
                }
            } else {
                environment.putAll(map(spec));
            }
            return environment;
        }

        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            rawEnvironment().forEach((key, value) -> environment.put(key, stack.interpolate(value)));
            return environment;
        }

        List<String> command() {
            Object command = raw.get("command");
            if (command instanceof List<?> parts) {
                return parts.stream().map(stack::interpolate).toList();
            }
            return command == null ? List.of() : List.of(stack.interpolate(command).trim().split("\\s+"));
        }

        /** The value of {@code --name value} or {@code --name=value} in the command. */
        String flag(String flag) {
            List<String> command = command();
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i).equals(flag) && i + 1 < command.size()) {
                    return command.get(i + 1);
                }
                if (command.get(i).startsWith(flag + "=")) {
                    return command.get(i).substring(flag.length() + 1);
                }
            }
            return null;
        }

        /** Host ports publishing the given container port. */
        Set<Integer> publishedPorts(int containerPort) {
            Set<Integer> ports = new TreeSet<>();
            for (Object entry : list(raw.get("ports"))) {
                if (entry instanceof Map<?, ?> spec) {
                    if (String.valueOf(spec.get("target")).equals(String.valueOf(containerPort))
                            && spec.get("published") != null) {
                        ports.add(Integer.parseInt(stack.interpolate(spec.get("published"))));
                    }
                    continue;
                }
                String[] parts = stack.interpolate(entry).replaceFirst("/(tcp|udp)$", "").split(":");
                if (parts.length >= 2 && parts[parts.length - 1].equals(String.valueOf(containerPort))) {
                    ports.add(Integer.parseInt(parts[parts.length - 2]));
                }
            }
            return ports;
        }

        /** The file or directory of this repository mounted at the container path, or null. */
        Path hostPathMountedAt(String containerPath) {
            for (Object entry : list(raw.get("volumes"))) {
                String source;
                String target;
                if (entry instanceof Map<?, ?> spec) {
                    source = stack.interpolate(spec.get("source"));
                    target = stack.interpolate(spec.get("target"));
                } else {
                    String[] parts = stack.interpolate(entry).split(":");
                    if (parts.length < 2) {
                        continue;
                    }
                    source = parts[0];
                    target = parts[1];
                }
                if (target.replaceFirst("/$", "").equals(containerPath.replaceFirst("/$", ""))
                        && source != null && source.startsWith(".")) {
                    return ROOT.resolve(source).normalize();
                }
            }
            return null;
        }

        /** The healthcheck's test as one string, or null when there is none. */
        String healthcheck() {
            Map<String, Object> healthcheck = map(raw.get("healthcheck"));
            if (Boolean.TRUE.equals(healthcheck.get("disable")) || healthcheck.get("test") == null) {
                return null;
            }
            Object test = healthcheck.get("test");
            List<String> parts = test instanceof List<?> items ? items.stream().map(stack::interpolate).toList()
                    : List.of(stack.interpolate(test));
            return parts.isEmpty() || parts.get(0).equals("NONE") ? null : String.join(" ", parts);
        }

        int postgresPort() {
            String port = environment().get("PGPORT");
            return port == null ? POSTGRES_PORT : Integer.parseInt(port);
        }

        String postgresDatabase() {
            Map<String, String> environment = environment();
            return environment.getOrDefault("POSTGRES_DB", environment.get("POSTGRES_USER"));
        }

        int keycloakHttpPort() {
            String port = environment().get("KC_HTTP_PORT");
            return port == null ? KEYCLOAK_HTTP_PORT : Integer.parseInt(port);
        }

        int hubPort() {
            String port = environment().get("PORT");
            return port == null || port.isBlank() ? HUB_DEFAULT_PORT : Integer.parseInt(port);
        }
    }

    record Reference(String name, String operator) {

        /** Compose fails (or substitutes nothing) when the variable is unset. */
        boolean required() {
            return operator == null || operator.contains("?");
        }

        String form() {
            return "${" + name + Objects.toString(operator, "") + (operator == null ? "}" : "...}");
        }
    }

    /** Every variable the compose file's values use, with how it is used. */
    static List<Reference> composeReferences() {
        List<String> strings = new ArrayList<>();
        collectStrings(compose(), strings);
        Set<Reference> references = new LinkedHashSet<>();
        strings.forEach(s -> references.addAll(Interpolation.references(s)));
        return List.copyOf(references);
    }

    /** Compose's variable syntax: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ... */
    static final class Interpolation {

        private static final Pattern EXPRESSION =
                Pattern.compile("(?s)([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?");

        static String apply(String text, Map<String, String> variables) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c != '$' || i + 1 >= text.length()) {
                    out.append(c);
                    i++;
                } else if (text.charAt(i + 1) == '$') {
                    out.append('$');
                    i += 2;
                } else if (text.charAt(i + 1) == '{') {
                    int end = closing(text, i + 2);
                    out.append(resolve(text.substring(i + 2, end), variables));
                    i = end + 1;
                } else {
                    int end = i + 1;
                    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                        end++;
                    }
                    if (end == i + 1) {
                        out.append(c);
                        i++;
                    } else {
                        out.append(variables.getOrDefault(text.substring(i + 1, end), ""));
                        i = end;
                    }
                }
            }
            return out.toString();
        }

        static List<Reference> references(String text) {
            List<Reference> references = new ArrayList<>();
            int i = 0;
            while (i < text.length() - 1) {
                if (text.charAt(i) == '$' && text.charAt(i + 1) == '$') {
                    i += 2;
                } else if (text.charAt(i) == '$' && text.charAt(i + 1) == '{') {
                    int end = closing(text, i + 2);
                    Matcher m = expression(text.substring(i + 2, end));
                    references.add(new Reference(m.group(1), m.group(2)));
                    if (m.group(3) != null) {
                        references.addAll(references(m.group(3)));
                    }
                    i = end + 1;
                } else if (text.charAt(i) == '$' && (Character.isLetter(text.charAt(i + 1)) || text.charAt(i + 1) == '_')) {
                    Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(text).region(i + 1, text.length());
                    m.lookingAt();
                    references.add(new Reference(m.group(), null));
                    i = m.end();
                } else {
                    i++;
                }
            }
            return references;
        }

        private static int closing(String text, int from) {
            int depth = 1;
            for (int i = from; i < text.length(); i++) {
                if (text.startsWith("${", i)) {
                    depth++;
                    i++;
                } else if (text.charAt(i) == '}' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unclosed ${ in " + text);
        }

        private static Matcher expression(String inner) {
            Matcher m = EXPRESSION.matcher(inner);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a compose variable expression: ${" + inner + "}");
            }
            return m;
        }

        private static String resolve(String inner, Map<String, String> variables) {
            Matcher m = expression(inner);
            String name = m.group(1);
            String operator = m.group(2);
            String argument = m.group(3);
            String value = variables.get(name);
            boolean set = value != null;
            boolean nonEmpty = set && !value.isEmpty();
            if (operator == null) {
                return set ? value : "";
            }
            return switch (operator) {
                case ":-" -> nonEmpty ? value : apply(argument, variables);
                case "-" -> set ? value : apply(argument, variables);
                case ":+" -> nonEmpty ? apply(argument, variables) : "";
                case "+" -> set ? apply(argument, variables) : "";
                // compose would refuse to start; envExampleSetsEveryVariableComposeRequiresAndHoldsNoSecret says so,
                // and the other checks go on with a marker value
                case ":?", "?" -> (operator.equals(":?") ? nonEmpty : set) ? value : "<unset " + name + ">";
                default -> throw new IllegalArgumentException(operator);
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading the Dockerfile and .dockerignore

    record Instruction(String keyword, String args) {

        boolean is(String name) {
            return keyword.equalsIgnoreCase(name);
        }
    }

    /** The Dockerfile's instructions, continuation lines joined and comments dropped, split at each FROM. */
    static List<List<Instruction>> dockerfileStages() {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : read(ROOT.resolve("Dockerfile")).lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && pending.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String instruction = pending.toString().trim();
            pending.setLength(0);
            String[] parts = instruction.split("\\s+", 2);
            Instruction parsed = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (parsed.is("FROM")) {
                stages.add(new ArrayList<>());
            }
            if (stages.isEmpty()) {
                fail("Dockerfile: " + parsed.keyword() + " before the first FROM");
            }
            stages.get(stages.size() - 1).add(parsed);
        }
        if (stages.isEmpty()) {
            fail("Dockerfile has no FROM");
        }
        return stages;
    }

    /** Docker's .dockerignore rules: patterns in order, the last one matching a path or a parent of it wins. */
    static final class DockerIgnore {

        static boolean excludes(List<String> patterns, String path) {
            boolean excluded = false;
            for (String pattern : patterns) {
                boolean negated = pattern.startsWith("!");
                String glob = (negated ? pattern.substring(1) : pattern).trim().replaceFirst("^/", "")
                        .replaceFirst("/$", "");
                if (matchesOrParentMatches(glob, path)) {
                    excluded = !negated;
                }
            }
            return excluded;
        }

        private static boolean matchesOrParentMatches(String glob, String path) {
            Pattern regex = Pattern.compile(toRegex(glob));
            String candidate = path;
            while (true) {
                if (regex.matcher(candidate).matches()) {
                    return true;
                }
                int slash = candidate.lastIndexOf('/');
                if (slash < 0) {
                    return false;
                }
                candidate = candidate.substring(0, slash);
            }
        }

        private static String toRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Files

    static Map<String, Object> compose() {
        return map(new Yaml().load(read(ROOT.resolve("docker-compose.yml"))));
    }

    /** KEY=value lines of .env.example (comments and blank lines skipped). */
    static Map<String, String> envExample() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : read(ROOT.resolve(".env.example")).lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
                continue;
            }
            values.put(trimmed.substring(0, trimmed.indexOf('=')).trim(), trimmed.substring(trimmed.indexOf('=') + 1));
        }
        return values;
    }

    static Path realmFilePath() {
        return ROOT.resolve("deploy/keycloak/oneuihub-realm.json");
    }

    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> realmFile() {
        Path file = realmFilePath();
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(read(file), Map.class))
                : Optional.empty();
    }

    /** Names read through LiteLLM's os.environ/NAME references anywhere in its config. */
    static Set<String> environmentReferences(Object node) {
        List<String> strings = new ArrayList<>();
        collectStrings(node, strings);
        Set<String> names = new TreeSet<>();
        strings.stream().filter(s -> s.startsWith("os.environ/")).forEach(s -> names.add(s.substring(11)));
        return names;
    }

    private static void collectStrings(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> collectStrings(value, into));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collectStrings(value, into));
        } else if (node instanceof String text) {
            into.add(text);
        }
    }

    private static List<Map<String, Object>> mappers(Map<String, Object> owner, String type) {
        return list(owner.get("protocolMappers")).stream().map(ComposeWiringTest::map)
                .filter(m -> type.equals(m.get("protocolMapper"))).toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            fail("cannot read " + relative(file) + ": " + e);
            return null;
        }
    }

    private static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath()).toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object node) {
        return node == null ? null : String.valueOf(node);
    }

    private static boolean isBlank(Object node) {
        return node == null || String.valueOf(node).isBlank();
    }

    private static String describe(Object value) {
        return value == null ? "not set" : value instanceof String ? "\"" + value + "\""
                : value + " (a YAML " + value.getClass().getSimpleName() + ")";
    }

    /** Every miswired thing a test finds, reported together. */
    static final class Problems {

        private final List<String> found = new ArrayList<>();

        void add(String problem) {
            found.add(problem);
        }

        void unless(boolean wired, String problem) {
            if (!wired) {
                found.add(problem);
            }
        }

        void same(String what, String value, String otherWhat, String other) {
            unless(Objects.equals(value, other), what + " is " + describe(value) + ", but " + otherWhat + " is "
                    + describe(other));
        }

        void samePort(String what, URI uri, int defaultPort, int listens, String listener) {
            int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
            unless(port == listens, what + " uses port " + port + ", but " + listener + " is " + listens);
        }

        String required(Service service, String name, Stack stack) {
            String value = service.environment().get(name);
            unless(value != null && !value.isBlank(), stack + service.name() + ": " + name + " is not set");
            return value == null || value.isBlank() ? null : value;
        }

        Service postgresService(Stack stack, String host, String what) {
            Service service = stack.services().get(host);
            if (service == null || !service.image().startsWith("postgres")) {
                add(stack + what + " names host " + host + ", which is not a PostgreSQL service of "
                        + "docker-compose.yml");
                return null;
            }
            return service;
        }

        void assertNone() {
            if (!found.isEmpty()) {
                fail(found.size() + " miswired:\n  - " + String.join("\n  - ", found));
            }
        }
    }
}
