import { inject } from 'vitest';

// Workers may start with a copy of the environment taken before global setup ran; the URL of the
// run's PostgreSQL comes through vitest's provide/inject instead.
process.env.TEST_DATABASE_ADMIN_URL = inject('databaseAdminUrl');
