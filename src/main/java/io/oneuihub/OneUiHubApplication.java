package io.oneuihub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OneUiHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(OneUiHubApplication.class, args);
    }
}
