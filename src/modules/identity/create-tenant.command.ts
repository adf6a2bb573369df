import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CliCommand, type CliRunner } from '../../common/cli-command.js';
import { ValidationFailed } from '../../common/problem/domain-error.js';
import { validateBody } from '../../common/validation.js';
import { SignupDto } from './dto/auth.dto.js';
import { TenantsService } from './tenants.service.js';

interface CreateTenantOptions {
  name: string;
  ownerName: string;
  ownerEmail: string;
  password?: string;
}

/**
 * `npm run cli -- create-tenant --name "Agency" --owner-name "Jane Doe"
 *  --owner-email jane@agency.example [--password ...]`: for installations
 * with sign-up switched off. Without --password a strong one is generated
 * and printed once.
 */
@CliCommand({
  name: 'create-tenant',
  description: 'Create an agency (tenant) and its owner account',
  options: [
    { flags: '--name <name>', description: 'Name of the agency', required: true },
    { flags: '--owner-name <name>', description: "Owner's name", required: true },
    { flags: '--owner-email <email>', description: "Owner's email (their login)", required: true },
    { flags: '--password <password>', description: 'Owner password (generated when omitted)' },
  ],
})
export class CreateTenantCommand implements CliRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
  ) {}

  async run(options: CreateTenantOptions): Promise<void> {
    const generated = options.password === undefined;
    const password = options.password ?? randomBytes(18).toString('base64url');
    let input: SignupDto;
    try {
      input = validateBody(SignupDto, {
        tenantName: options.name,
        name: options.ownerName,
        email: options.ownerEmail,
        password,
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const flags: Record<string, string> = {
        tenantName: '--name',
        name: '--owner-name',
        email: '--owner-email',
        password: '--password',
      };
      const lines = error.errors.map((e) => `  ${flags[e.field] ?? e.field}: ${e.message}`);
      throw new Error(`Cannot create the tenant:\n${lines.join('\n')}`, { cause: error });
    }
    const { tenant, owner } = await this.dataSource.transaction((manager) =>
      this.tenants.createWithOwner(
        manager,
        { type: 'system', id: null, origin: { requestId: 'cli', ip: '127.0.0.1' } },
        input,
      ),
    );
    process.stdout.write(
      [
        `Created tenant "${tenant.name}" (slug ${tenant.slug}, id ${tenant.id}).`,
        `Owner: ${owner.email}`,
        ...(generated ? [`Password: ${password}  (shown once; change it after signing in)`] : []),
        '',
      ].join('\n'),
    );
  }
}
