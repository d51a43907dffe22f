/** Parameters that name a Bitable base and table by id (resource locators), as our Feishu nodes take them. */
export function bitableById(appToken: string, tableId: string) {
	return {
		base: { __rl: true, mode: 'id', value: appToken },
		table: { __rl: true, mode: 'id', value: tableId },
	};
}
