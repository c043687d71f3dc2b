package io.oneuihub.sync;

import io.oneuihub.db.NotificationListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The instance's one LISTEN connection, for sync events and budget alerts alike, named after the instance
 * ({@link SyncEventBus#applicationName}) and checked every {@code hub.sync.listener-check}.
 */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    @Bean
    NotificationListener notificationListener(SyncProperties properties, ObjectProvider<NotificationListener.Channel<?>> channels,
            @Value("${spring.r2dbc.url}") String url, @Value("${spring.r2dbc.username:}") String username,
            @Value("${spring.r2dbc.password:}") String password) {
        return new NotificationListener(url, username, password, SyncEventBus.applicationName(properties.instanceId()),
                properties.listenerCheck(), channels);
    }
}
