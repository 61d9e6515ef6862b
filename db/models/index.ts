// Thin objection models (table + relations) for the object reads with relations that data/ does through them:
// bonuses with their campaigns, members with their user or team, a campaign with its product. Columns are
// snake_case as in the database (no case mapping); validation lives in zod schemas at the edge. Relations
// name related models by file (modelPaths), so the model files import each other for types only.
export { User } from './user';
export { Team } from './team';
export { TeamMember } from './team-member';
export { Product } from './product';
export { Campaign } from './campaign';
export { Bonus } from './bonus';
