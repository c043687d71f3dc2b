package io.oneuihub.catalog;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.BatchLoaderRegistry;

/**
 * The catalog's relations as batch loaders keyed by id. A @BatchMapping keys its loader by the source record
 * itself, so every load hashes and compares whole models (names, prices, capability lists): ids are what the
 * statements need anyway, and equal ids load once.
 */
@Configuration(proxyBeanMethods = false)
class CatalogLoaders {

    static final String COMPANY_BY_ID = "companyById";
    static final String DEPLOYMENTS_BY_MODEL_ID = "deploymentsByModelId";
    static final String MODELS_BY_COMPANY_ID = "modelsByCompanyId";

    CatalogLoaders(BatchLoaderRegistry registry, CompanyService companies, DeploymentService deployments, ModelService models) {
        registry.<UUID, Company>forName(COMPANY_BY_ID).registerMappedBatchLoader((ids, env) -> companies.companiesById(ids));
        registry.<UUID, List<Deployment>>forName(DEPLOYMENTS_BY_MODEL_ID)
                .registerMappedBatchLoader((ids, env) -> deployments.deploymentsOfModels(ids));
        registry.<UUID, List<Model>>forName(MODELS_BY_COMPANY_ID)
                .registerMappedBatchLoader((ids, env) -> models.modelsOfCompanies(ids));
    }
}
