package dev.mlsuite.platform.jobs;

import java.time.Clock;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Job support for every service with a database: the {@code jobs} table, a db-scheduler
 * instance running the registered {@link JobHandler} beans, and the {@code /v1/jobs} endpoints.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, TransactionAutoConfiguration.class},
        afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(JobProperties.class)
public class JobsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public JobRepository jobRepository(DataSource dataSource) {
        return new JobRepository(new JdbcTemplate(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    public JobRunner jobRunner(JobRepository repository, ObjectProvider<JobHandler> handlers, JobProperties properties) {
        return new JobRunner(repository, handlers.orderedStream().toList(), properties, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    public JobScheduler jobScheduler(DataSource dataSource, JobRunner runner, JobProperties properties,
            JobRepository repository) {
        return new JobScheduler(dataSource, runner, properties, repository, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    public JobService jobService(JobRepository repository, JobScheduler scheduler, JobRunner runner,
            PlatformTransactionManager transactionManager, JobProperties properties) {
        Set<String> types = runner.types();
        return new JobService(repository, scheduler.client(), runner.task(), new TransactionTemplate(transactionManager),
                properties, types, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    public JobController jobController(JobService jobService) {
        return new JobController(jobService);
    }
}
