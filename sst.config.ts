/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The AWS deployment, composition only: which routes, functions, permissions and settings exist is
 * plain data in infra/ (derived from the route table core/http/routes.ts) and unit-tested there.
 *
 *   npx sst deploy --stage <stage>     see README.md, "Deploy to AWS"
 *
 * SST evaluates `app()` before anything is installed, so modules are imported inside the functions.
 */
export default $config({
  async app(input) {
    const { APP_NAME, AWS_PROVIDER_VERSION, DEFAULT_REGION, PROTECTED_STAGES } = await import('./infra/app.js');
    const protectedStage = PROTECTED_STAGES.includes(input.stage);
    return {
      name: APP_NAME,
      home: 'aws',
      // Catalog records and table files outlive `sst remove` on protected stages.
      removal: protectedStage ? 'retain' : 'remove',
      protect: protectedStage,
      providers: { aws: { version: AWS_PROVIDER_VERSION, region: (process.env['AWS_REGION'] ?? DEFAULT_REGION) as aws.Region } },
    };
  },

  async run() {
    const { LOG_RETENTION, NONCURRENT_VERSION_DAYS, INCOMPLETE_UPLOAD_DAYS, JOB_RETRIES } = await import('./infra/app.js');
    const { BUNDLE, LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME } = await import('./infra/bundle.js');
    const { DATA_ACCESS_ROLE_GRANTS, MAX_CHAINED_SESSION_SECONDS, dataAccessRoleName, dataAccessTrustPolicy, roleArn, vendingFunctions } = await import('./infra/data-access.js');
    const { devStorageFrom, functionEnvironment, passedThroughSettings, warehouseLocation } = await import('./infra/environment.js');
    const { JOB_WORKER, MAINTENANCE, MAINTENANCE_SCHEDULE, ROUTE_FUNCTIONS, SWEEPER, SWEEPER_SCHEDULE } = await import('./infra/functions.js');
    const { policyDocument, policyStatements, targetArn } = await import('./infra/permissions.js');
    const { API_ROUTES } = await import('./infra/routes.js');

    // Storage: versioned, private (SST blocks public access), TLS-only bucket policy (enforceHttps).
    const catalogBucket = new sst.aws.Bucket('CatalogBucket', { versioning: true, enforceHttps: true });
    const warehouseBucket = new sst.aws.Bucket('WarehouseBucket', { versioning: true, enforceHttps: true });
    // Every compare-and-swap leaves a noncurrent version behind; keep them long enough to recover from.
    for (const [name, bucket] of [
      ['CatalogBucket', catalogBucket],
      ['WarehouseBucket', warehouseBucket],
    ] as const) {
      new aws.s3.BucketLifecycleConfiguration(`${name}Versions`, {
        bucket: bucket.name,
        rules: [
          {
            id: 'expire-noncurrent-versions',
            status: 'Enabled',
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS },
          },
        ],
      });
    }

    // Wraps the data keys of catalog records (envelope encryption).
    const recordKey = new aws.kms.Key('RecordKey', {
      description: `${$app.name} ${$app.stage}: wraps the data keys of catalog records`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new aws.kms.Alias('RecordKeyAlias', { name: `alias/${$app.name}-${$app.stage}-records`, targetKeyId: recordKey.keyId });

    // Jobs (purges, maintenance runs; core/maintenance/jobs): retried, then parked in a dead-letter queue for inspection.
    const jobDeadLetters = new sst.aws.Queue('JobDeadLetters');
    const jobQueue = new sst.aws.Queue('JobQueue', {
      // SQS hides a message for at least the worker's run time, with AWS's recommended margin.
      visibilityTimeout: `${JOB_WORKER.timeoutSeconds * 6} seconds`,
      dlq: { queue: jobDeadLetters.arn, retry: JOB_RETRIES },
    });

    // Vended credentials are sessions of the data-access role (infra/data-access.ts). Its ARN comes
    // from its fixed name, not from the role resource: the vending functions' policies and
    // environment name it, and the role's trust policy names their roles, so it is created last.
    const dataAccessRole = aws.getRegionOutput().region.apply((region) => dataAccessRoleName($app.name, $app.stage, region));
    const dataAccessRoleArn = $resolve([aws.getPartitionOutput().partition, aws.getCallerIdentityOutput().accountId, dataAccessRole]).apply(([partition, account, name]) =>
      roleArn(partition, account, name),
    );

    // `sst dev` runs the functions on this machine: there they use MinIO (or any S3-compatible server).
    const dev = $dev ? devStorageFrom(process.env) : undefined;
    const resources = $resolve({
      catalogBucket: catalogBucket.name,
      warehouseBucket: warehouseBucket.name,
      recordKeyArn: recordKey.arn,
      jobQueueUrl: jobQueue.url,
      dataAccessRoleArn,
    });
    const settings = passedThroughSettings(process.env);
    const arns = $resolve({
      catalogBucket: catalogBucket.arn,
      warehouseBucket: warehouseBucket.arn,
      recordKey: recordKey.arn,
      jobQueue: jobQueue.arn,
      dataAccessRole: dataAccessRoleArn,
    });
    const arnOf = (target: Parameters<typeof targetArn>[0]) => arns.apply((values) => targetArn(target, values));

    const makeFunction = (spec: (typeof ROUTE_FUNCTIONS)[number]) =>
      new sst.aws.Function(spec.name, {
        handler: spec.handler,
        description: spec.description,
        runtime: LAMBDA_RUNTIME,
        architecture: LAMBDA_ARCHITECTURE,
        memory: `${spec.memoryMb} MB`,
        timeout: `${spec.timeoutSeconds} seconds`,
        nodejs: {
          format: BUNDLE.format,
          minify: BUNDLE.minify,
          sourcemap: BUNDLE.sourcemap,
          splitting: BUNDLE.splitting,
          esbuild: { target: BUNDLE.target, mainFields: [...BUNDLE.mainFields] },
        },
        environment: resources.apply((values) => functionEnvironment(spec.access, values, dev, settings)),
        // Exactly infra/permissions.ts; SST adds only AWSLambdaBasicExecutionRole (logs).
        permissions: policyStatements(spec.grants, arnOf),
        logging: { retention: LOG_RETENTION },
        copyFiles: spec.assets.map((asset) => ({ from: asset.from, to: asset.to })),
      });

    const functions = new Map(ROUTE_FUNCTIONS.map((spec) => [spec.name, makeFunction(spec)] as const));

    // Trusted by the vending functions' roles only; allowed the warehouse object actions only. Each
    // vend narrows a session further to one table's prefix (a session policy, core/access).
    const vendingRoles = vendingFunctions().map((spec) => {
      const fn = functions.get(spec.name);
      if (fn === undefined) throw new Error(`no function ${spec.name} to trust`);
      return fn.nodes.role.arn;
    });
    new aws.iam.Role('DataAccessRole', {
      name: dataAccessRole,
      description: `${$app.name} ${$app.stage}: vended credentials (table-scoped sessions) for engines`,
      assumeRolePolicy: $resolve(vendingRoles).apply((roleArns) => JSON.stringify(dataAccessTrustPolicy(roleArns))),
      maxSessionDuration: MAX_CHAINED_SESSION_SECONDS,
      inlinePolicies: [
        {
          name: 'warehouse-objects',
          policy: arns.apply((values) => JSON.stringify(policyDocument(policyStatements(DATA_ACCESS_ROLE_GRANTS, (target) => targetArn(target, values))))),
        },
      ],
    });

    // One queue, one worker. Partial batch responses: the worker names the messages whose job failed, and only those return.
    jobQueue.subscribe(makeFunction(JOB_WORKER).arn, { batch: { size: 1, partialResponses: true } });

    // The sweeper clears what writers that died left behind; nothing waits for it (docs/storage-protocol.md).
    new sst.aws.Cron('SweeperSchedule', { schedule: SWEEPER_SCHEDULE, function: makeFunction(SWEEPER).arn });
    // Table maintenance: a bounded round-robin over each warehouse's tables, run by the job worker (docs/maintenance.md).
    new sst.aws.Cron('MaintenanceSchedule', { schedule: MAINTENANCE_SCHEDULE, function: makeFunction(MAINTENANCE).arn });

    const api = new sst.aws.ApiGatewayV2('Api', { accessLog: { retention: LOG_RETENTION } });
    for (const route of API_ROUTES) {
      const fn = functions.get(route.functionName);
      if (fn === undefined) throw new Error(`no function ${route.functionName} for ${route.routeKey}`);
      // Authentication is the function's (see infra/routes.ts): the gateway passes every request on.
      api.route(route.routeKey, fn.arn);
    }

    return {
      api: api.url,
      warehouse: warehouseBucket.name.apply(warehouseLocation),
      catalogBucket: catalogBucket.name,
      recordKey: recordKey.arn,
      jobQueue: jobQueue.url,
      dataAccessRole: dataAccessRoleArn,
    };
  },
});
