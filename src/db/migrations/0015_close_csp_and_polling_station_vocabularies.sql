-- SEG-2: csp and polling_station used to take any text, so a column such as "Religion" could be
-- mapped into them at import and then filtered on ("csp = musulman" returned the person). They
-- now take only closed vocabularies: INSEE PCS 2020 group and category codes (except 44, "Clergé,
-- religieux", which reveals a religion) and four-digit polling-station numbers. Values stored
-- before this change outside them are cleared, not kept: they may be special-category data
-- laundered under an allowed name, and a cleared value can no longer be filtered on. Polling
-- stations whose leading zeros a spreadsheet dropped ("312") are padded back first. Check
-- constraints then keep every later write, by any path, inside the vocabularies.
update contacts set polling_station = lpad(trim(polling_station), 4, '0')
  where polling_station ~ '^\s*[0-9]{1,3}\s*$';
--> statement-breakpoint
update contacts set polling_station = null
  where polling_station is not null and (polling_station !~ '^[0-9]{4}$' or polling_station = '0000');
--> statement-breakpoint
update contacts set csp = trim(csp) where csp is not null and csp <> trim(csp);
--> statement-breakpoint
update contacts set csp = null
  where csp is not null and csp not in ('1', '10', '2', '21', '22', '23', '3', '31', '33', '34', '35', '37', '38', '4', '42', '43', '45', '46', '47', '48', '5', '52', '53', '54', '55', '56', '6', '62', '63', '64', '65', '67', '68', '69');
--> statement-breakpoint
alter table contacts add constraint contacts_polling_station_code
  check (polling_station is null or (polling_station ~ '^[0-9]{4}$' and polling_station <> '0000'));
--> statement-breakpoint
alter table contacts add constraint contacts_csp_pcs_2020
  check (csp is null or csp in ('1', '10', '2', '21', '22', '23', '3', '31', '33', '34', '35', '37', '38', '4', '42', '43', '45', '46', '47', '48', '5', '52', '53', '54', '55', '56', '6', '62', '63', '64', '65', '67', '68', '69'));
