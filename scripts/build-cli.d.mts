/** Types of scripts/build-cli.mjs for the bench and tests that build the CLI bundle. */
export declare const CLI_DIR: string;
export declare const CLI_BUNDLE: string;
export declare function buildCli(): Promise<void>;
