export const createSmokeActivities = (hostTag: string) => ({
  async greet(name: string): Promise<string> {
    return `hello ${name} from ${hostTag}`;
  },
});
export type SmokeActivities = ReturnType<typeof createSmokeActivities>;
