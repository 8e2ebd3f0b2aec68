/**
 * Where patient identifiers come from, turned into IdentifierSets: EDF/BDF patient and
 * recording header fields, DICOM patient / study tags, and file names that look like a
 * person's name ("Doe_John_CXR.png", "smith-jane.edf").
 */
import * as fs from 'node:fs/promises';
import * as dicomParser from 'dicom-parser';
import type { EegIdentifiers } from '../protocol';
import { fromFsError } from '../errors';
import { IdentifierSet, words, type FieldKind } from './identifiers';
import { nameLikeWords } from './nameLike';

const PLACEHOLDER = /^(x|-|\?|unknown|anonymous|n\/a)?$/i;

/**
 * EDF+ patient field: "code sex birthdate name [additional]"; recording field:
 * "Startdate dd-MMM-yyyy admincode technician equipment [additional]" (spaces separate
 * subfields, underscores stand for spaces inside one). Plain EDF fields are free text.
 */
export function edfIdentifiers(ids: EegIdentifiers): IdentifierSet {
  const set = new IdentifierSet();
  const patient = ids.patient.trim();
  const recording = ids.recording.trim();
  const edfPlus = /^Startdate\s/.test(recording);
  const sub = (s: string) => s.replace(/_/g, ' ');
  if (edfPlus) {
    const fields = patient.split(/\s+/);
    const [code = '', , birth = '', name = '', ...rest] = fields;
    if (fields.length < 4) {
      // Not the EDF+ layout after all (writers often put just a name here).
      if (!PLACEHOLDER.test(patient)) set.add('EDF patient field', sub(patient), 'name');
    } else {
      if (!PLACEHOLDER.test(code)) set.add('EDF patient field', sub(code), 'code');
      if (!PLACEHOLDER.test(birth)) set.add('EDF patient field', birth, 'date');
      if (!PLACEHOLDER.test(name)) set.add('EDF patient field', sub(name), 'name');
      if (rest.length) set.add('EDF patient field', sub(rest.join(' ')), 'free');
    }
    const [, start = '', admin = '', technician = '', ...more] = recording.split(/\s+/);
    if (!PLACEHOLDER.test(start)) set.add('EDF recording field', start, 'date');
    if (!PLACEHOLDER.test(admin)) set.add('EDF recording field', sub(admin), 'code');
    if (!PLACEHOLDER.test(technician)) set.add('EDF recording field', sub(technician), 'name');
    if (more.length) set.add('EDF recording field', sub(more.join(' ')), 'free');
  } else {
    // A short plain-EDF patient field is almost always a name or a code; a long one is prose.
    if (!PLACEHOLDER.test(patient)) {
      const kind = words(patient).length <= 4 ? 'name' : 'free';
      set.add('EDF patient field', sub(patient), kind);
    }
    if (!PLACEHOLDER.test(recording)) set.add('EDF recording field', sub(recording), 'free');
  }
  return set;
}

/** DICOM tags that name or point at a patient, with how their words are judged. */
const DICOM_TAGS: { tag: string; kind: FieldKind }[] = [
  { tag: 'x00100010', kind: 'name' }, // PatientName
  { tag: 'x00100020', kind: 'code' }, // PatientID
  { tag: 'x00100030', kind: 'date' }, // PatientBirthDate
  { tag: 'x00101000', kind: 'code' }, // OtherPatientIDs
  { tag: 'x00101001', kind: 'name' }, // OtherPatientNames
  { tag: 'x00101005', kind: 'name' }, // PatientBirthName
  { tag: 'x00101060', kind: 'name' }, // PatientMotherBirthName
  { tag: 'x00101040', kind: 'free' }, // PatientAddress
  { tag: 'x00102154', kind: 'code' }, // PatientTelephoneNumbers
  { tag: 'x00080050', kind: 'code' }, // AccessionNumber
  { tag: 'x00080080', kind: 'free' }, // InstitutionName
  { tag: 'x00080081', kind: 'free' }, // InstitutionAddress
  { tag: 'x00080090', kind: 'name' }, // ReferringPhysicianName
  { tag: 'x00081050', kind: 'name' }, // PerformingPhysicianName
  { tag: 'x00081060', kind: 'name' }, // NameOfPhysiciansReadingStudy
  { tag: 'x00081070', kind: 'name' }, // OperatorsName
  { tag: 'x00200010', kind: 'code' }, // StudyID
  { tag: 'x00080020', kind: 'date' }, // StudyDate
  { tag: 'x00080021', kind: 'date' }, // SeriesDate
  { tag: 'x00080022', kind: 'date' }, // AcquisitionDate
  { tag: 'x00080023', kind: 'date' }, // ContentDate
];

/** Identifiers in a DICOM file's header (pixel data is not parsed). Unreadable files give an empty set. */
export function dicomIdentifiers(bytes: Uint8Array): IdentifierSet {
  const set = new IdentifierSet();
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch {
    return set;
  }
  for (const { tag, kind } of DICOM_TAGS) {
    const n = ds.numStringValues(tag) ?? 0;
    for (let i = 0; i < Math.max(n, 1); i++) {
      const v = ds.string(tag, i);
      if (!v || PLACEHOLDER.test(v) || v === 'ANONYMOUS') continue;
      // PN: family^given^middle^prefix^suffix, with = between alphabetic / ideographic / phonetic.
      set.add('DICOM patient tags', v.replace(/[\^=]/g, ' '), kind);
    }
  }
  return set;
}

function isDicomPath(p: string, head: Uint8Array): boolean {
  if (/\.(dcm|dicom)$/i.test(p)) return true;
  return head.length >= 132 && String.fromCharCode(...head.subarray(128, 132)) === 'DICM';
}

/** Identifiers of an image file: its name when it looks like a person's, and its DICOM tags. */
export async function imageFileIdentifiers(file: string): Promise<IdentifierSet> {
  const set = fileNameIdentifiers(file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw fromFsError(e, file);
  }
  if (isDicomPath(file, bytes.subarray(0, 132))) set.addAll(dicomIdentifiers(bytes));
  return set;
}

export function fileNameIdentifiers(file: string): IdentifierSet {
  const set = new IdentifierSet();
  const name = nameLikeWords(file);
  if (name) set.add('file name', name.join(' '), 'name');
  return set;
}

/** Columns of a labels CSV / results row that hold a person's identifier or name. */
const IDENTIFIER_COLUMN = /patient|subject|person|name|mrn|accession|(^|_)id$/i;

/**
 * Identifiers in a results row's extra columns (patient_id, name, ...). Codes block as a whole
 * and by their words with digits, so the source "kermany" inside "kermany_person148" can still
 * be named while "person148" cannot.
 */
export function rowIdentifiers(subgroups: Readonly<Record<string, string>>): IdentifierSet {
  const set = new IdentifierSet();
  for (const [column, value] of Object.entries(subgroups)) {
    if (!IDENTIFIER_COLUMN.test(column) || PLACEHOLDER.test(value.trim())) continue;
    set.add('identifier', value.replace(/_/g, ' '), /name/i.test(column) ? 'name' : 'code');
  }
  return set;
}
