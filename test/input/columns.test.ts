import { describe, expect, it } from "vitest";
import { describeUserColumnNames, findColumns } from "../../src/input/columns.js";

describe("findColumns", () => {
  it.each([
    ["user_id", ["user_id", "action"], { userIndex: 0, actionIndex: 1 }],
    ["case and spaces ignored", [" Email ", "ACTION"], { userIndex: 0, actionIndex: 1 }],
    [
      "list order beats header order: email before id",
      ["id", "email"],
      { userIndex: 1, actionIndex: undefined },
    ],
    ["user_id beats email", ["email", "user_id"], { userIndex: 1, actionIndex: undefined }],
    ["'user id' with a space", ["name", "User ID"], { userIndex: 1, actionIndex: undefined }],
    ["userid", ["userid"], { userIndex: 0, actionIndex: undefined }],
    ["user_email", ["user_email", "status_action"], { userIndex: 0, actionIndex: 1 }],
    ["user", ["user", "x"], { userIndex: 0, actionIndex: undefined }],
    ["action beats status_action", ["status_action", "id", "action"], { userIndex: 1, actionIndex: 2 }],
    ["first of two equal names", ["email", "email"], { userIndex: 0, actionIndex: undefined }],
    ["no user column", ["name", "mail", "action"], undefined],
    ["no columns", [], undefined],
  ])("%s", (_name, header, expected) => {
    expect(findColumns(header)).toEqual(expected);
  });

  it("lists the accepted names for error messages", () => {
    expect(describeUserColumnNames()).toBe('user_id, userid, "user id", email, user_email, id, user');
  });
});
