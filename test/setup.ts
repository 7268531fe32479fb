// Loaded before every spec: quiet logs unless LOG_LEVEL asks otherwise.
process.env.FICUS_TEST = '1';
